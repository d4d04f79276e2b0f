import json
# Held-out books for corpora's tests (CC0), written without looking at the
# classifier's rules: made-up entries in the layouts of a 5e-compatible
# third-party spellbook, bestiary and treasury, a Pathfinder-2e-style
# adventure whose chapters mix creatures, items, spells and people, and an
# OSR-style grimoire. Each book: title, sections of (heading, [(name,
# category, type_lines, description)]). The book layout has the type lines
# and every paragraph; the plain layout the name and the last paragraph.
# Run: python3 make.py (writes the .md files and gold/).
books = {
"tp5e_spells": ("The Hedgewitch's Spellbook", [
 ("Spell Descriptions", [
  ("Ashen Grasp", "spell", ["2nd-level necromancy"], "**Casting Time:** 1 action\n**Range:** 60 feet\n**Components:** V, S, M (a pinch of ash)\n**Duration:** Concentration, up to 1 minute\n\nA hand of grey cinders rises from the ground beneath a creature you can see within range. The target must succeed on a Strength saving throw or be restrained. At Higher Levels. When you cast this spell using a slot of 3rd level or higher, you can target one additional creature for each slot level above 2nd."),
  ("Mirror Sanctum", "spell", ["4th-level abjuration (ritual)"], "**Casting Time:** 10 minutes\n**Range:** Self\n**Components:** V, S, M (a silvered mirror worth 50 gp)\n**Duration:** 8 hours\n\nYou step into a reflective surface and vanish into a quiet room that exists behind it. Nothing can follow you in unless you allow it, and you can see out through the mirror."),
  ("Tidecaller's Lament", "spell", ["3rd-level evocation"], "**Casting Time:** 1 action\n**Range:** 120 feet\n**Components:** V\n**Duration:** Instantaneous\n\nYou sing a drowned sailor's song, and a wall of cold seawater crashes down in a 20-foot square. Each creature in the area must make a Dexterity saving throw, taking 4d8 cold damage on a failed save, or half as much damage on a successful one."),
  ("Hungry Dark", "spell", ["5th-level conjuration"], "**Casting Time:** 1 action\n**Range:** 90 feet\n**Components:** V, S\n**Duration:** Concentration, up to 1 minute\n\nA sphere of living shadow fills a 15-foot radius. Creatures that start their turn inside take 2d10 necrotic damage, and nonmagical light goes out."),
  ("Thornward", "spell", ["1st-level abjuration"], "**Casting Time:** 1 reaction, which you take when you are hit by a melee attack\n**Range:** Self\n**Components:** V, S\n**Duration:** 1 round\n\nBrambles burst from your skin. The attacker takes 1d8 piercing damage, and you gain a +2 bonus to AC until the start of your next turn."),
  ("Whisper to Bones", "spell", ["2nd-level divination (ritual)"], "**Casting Time:** 1 minute\n**Range:** Touch\n**Components:** V, S\n**Duration:** 10 minutes\n\nYou touch a skull or a bone and ask it up to three questions. The bone answers in the voice it had in life, knowing only what its owner knew."),
  ("Lantern Swarm", "spell", ["Conjuration cantrip"], "**Casting Time:** 1 action\n**Range:** 30 feet\n**Components:** V, S\n**Duration:** 1 hour\n\nYou conjure a cloud of tiny glowing motes that shed dim light in a 10-foot radius and follow you at walking pace."),
  ("Gravesong", "spell", ["6th-level necromancy"], "**Casting Time:** 1 action\n**Range:** 60 feet\n**Components:** V, S, M (a grave-digger's spade)\n**Duration:** Instantaneous\n\nYour dirge shakes the earth. Up to four corpses within range rise as zombies under your control for 1 hour."),
 ]),
]),
"tp5e_bestiary": ("Fell Beasts of the Marchlands", [
 ("Bestiary", [
  ("Qelluth", "creature", ["Large aberration, chaotic evil"], "**Armor Class** 15 (natural armor)\n**Hit Points** 85 (10d10 + 30)\n**Speed** 20 ft., swim 40 ft.\n\nA qelluth is a bloated thing of the deep wells, a mass of pale tentacles around a single weeping eye. Qelluths drag wells' buckets down and wait for whoever comes to look."),
  ("Skitterwisp", "creature", ["Tiny fey, chaotic neutral"], "**Armor Class** 13\n**Hit Points** 7 (3d4)\n**Speed** 10 ft., fly 40 ft.\n\nSkitterwisps are mischievous lights that lead travellers astray. They giggle when they do it."),
  ("Ironbark Treant", "creature", ["Huge plant, lawful neutral"], "**Armor Class** 17 (natural armor)\n**Hit Points** 138 (12d12 + 60)\n**Speed** 30 ft.\n\nIronbark treants guard the old forests where the druids once held their moots. They are slow to anger and slower to forget."),
  ("Toll Warden", "creature", ["Medium humanoid (any race), lawful neutral"], "**Armor Class** 16 (chain shirt, shield)\n**Hit Points** 32 (5d8 + 10)\n**Speed** 30 ft.\n\nToll wardens keep the bridges of the Marchlands and collect a copper from everyone who crosses. Most are retired soldiers."),
  ("Hedge Witch", "creature", ["Medium humanoid (human), neutral"], "**Armor Class** 12\n**Hit Points** 27 (6d8)\n**Speed** 30 ft.\n\nA hedge witch lives at the edge of a village, selling charms and curing cattle. Villagers fear her and visit her anyway."),
  ("Murkfang", "creature", ["Medium beast, unaligned"], "**Armor Class** 13 (natural armor)\n**Hit Points** 22 (4d8 + 4)\n**Speed** 40 ft., swim 30 ft.\n\nThis eel-bodied hound lurks in flooded ditches and seizes the legs of anyone who wades across."),
  ("Cinder Mote", "creature", ["Small elemental, neutral"], "**Armor Class** 12\n**Hit Points** 10 (3d6)\n**Speed** 0 ft., fly 30 ft. (hover)\n\nWhere a great fire has burned, cinder motes drift for days afterward, setting fresh blazes wherever they settle."),
  ("Grave Tender", "creature", ["Medium undead, lawful neutral"], "**Armor Class** 11\n**Hit Points** 45 (7d8 + 14)\n**Speed** 30 ft.\n\nThe dead caretakers of old cemeteries sometimes keep working after death, raking paths and driving off grave robbers with their shovels."),
 ]),
]),
"tp5e_treasury": ("The Marchlands Treasury", [
 ("Magic Items", [
  ("Lantern of Tides", "item", ["Wondrous item, uncommon"], "This brass lantern holds a little seawater instead of oil. Its light rises and falls with the tide, and while it is lit, you know the direction of the nearest coast."),
  ("Quiet Boots", "item", ["Wondrous item, common"], "These soft leather boots make no sound on stone or wood. While you wear them, you have advantage on Dexterity (Stealth) checks made to move silently."),
  ("Spindle of Fates", "item", ["Wondrous item, very rare (requires attunement)"], "A spindle of black wood wound with grey thread. Once per day, you can pull a length of thread to reroll one saving throw, but the thread never grows back."),
  ("Ember Seed", "item", ["Potion, uncommon"], "A walnut-sized seed that glows faintly red. When you swallow it, you gain resistance to cold damage for 1 hour, and your breath steams."),
  ("Warden's Maul", "item", ["Weapon (maul), rare (requires attunement)"], "You gain a +1 bonus to attack and damage rolls made with this magic weapon. When you hit a creature that is trying to flee, it is knocked prone."),
  ("Salt Circle Chalk", "item", ["Wondrous item, uncommon"], "A stick of white chalk mixed with grave salt. A circle drawn with it keeps undead from crossing for 1 hour."),
  ("Cloak of Many Pockets", "item", ["Wondrous item, rare"], "This patched cloak has forty-two pockets, each of which holds up to a pound without adding weight. Whatever you put in a pocket is there when you reach for it."),
  ("Hearthstone", "item", ["Wondrous item, common"], "A flat river stone that stays warm. Placed in a bedroll, it keeps a sleeper comfortable in freezing weather."),
 ]),
]),
"pf2_adventure": ("The Drowned Chapel", [
 ("Part 2: Beneath the Nave", [
  ("Sister Odhrane", "character", [], "Sister Odhrane was the last abbess of the chapel. She drowned with her congregation when the sea wall broke, and her ghost still rings the bell at midnight, calling the faithful who never come."),
  ("Bellwraith", "creature", ["Creature 5", "Uncommon, Medium, Incorporeal, Undead"], "Perception +12; darkvision\n\nBellwraiths gather wherever a bell once called the dead to rest. A bellwraith's toll stops the hearts of the living for a moment."),
  ("Chalice of the Deep", "item", ["Item 6", "Divine, Magical"], "Price 250 gp\nUsage held in 1 hand; Bulk L\n\nWater poured into this tarnished silver chalice turns to brine. Anyone who drinks from it can breathe underwater for an hour."),
  ("Drowned Acolyte", "creature", ["Creature 2", "Medium, Undead, Zombie"], "Perception +6; darkvision\n\nThe drowned acolytes still shuffle through their morning prayers, waterlogged robes dragging behind them. They attack anyone who interrupts the liturgy."),
  ("Tolling Dirge", "spell", ["Spell 3", "Auditory, Death, Necromancy"], "Traditions divine, occult\nRange 60 feet; Area 20-foot emanation\n\nYou ring a spectral bell. Each living creature in the area must attempt a Will save or become frightened 2."),
 ]),
 ("Part 3: The Reef Cloister", [
  ("Coralback Crab", "creature", ["Creature 4", "Large, Animal, Aquatic"], "Perception +10\n\nThis enormous crab wears a living reef on its shell. Fishermen sometimes mistake a sleeping coralback for a rock, to their regret."),
  ("Captain Hollis Vray", "character", [], "Hollis Vray captained the smuggling sloop Gull's Revenge before the wreck. He knows the cloister's tunnels better than anyone living, and he will sell that knowledge to whoever pays in silver."),
  ("Reefglass Dagger", "item", ["Item 4", "Magical, Water"], "Price 90 gp\nBulk L\n\nThis dagger is carved from a single shard of sea glass. It never rusts, and when thrown underwater it flies as straight as in air."),
  ("Brine Shroud", "spell", ["Spell 2", "Water, Abjuration"], "Range touch; Targets 1 creature\nDuration 10 minutes\n\nA film of cold seawater clings to the target's skin, granting resistance 5 to fire and letting it swim at its full speed."),
  ("Kelp Strangler", "creature", ["Creature 3", "Medium, Plant"], "Perception +8; tremorsense 30 feet\n\nKelp stranglers drift like harmless seaweed until a swimmer passes. Then they coil around the throat and pull down."),
 ]),
]),
"osr_grimoire": ("Grimoire of the Grey Order", [
 ("Magic-User Spells", [
  ("Veil of Moths", "spell", ["Level 2, Range: 30', Duration: 1 turn"], "A cloud of grey moths surrounds the caster. Missile attacks against the caster are at -4, and torches within 10' gutter out."),
  ("Lock of Years", "spell", ["Level 3, Range: touch, Duration: permanent"], "A door, chest or book so sealed cannot be opened by anyone but the caster until a hundred years pass or a dispel magic is cast upon it."),
  ("Cold Iron Rain", "spell", ["Level 4, Range: 120', Duration: instantaneous"], "Needles of cold iron fall in a 20' radius, dealing 3d6 damage to all within, double to fairies and demons. A save versus breath halves the damage."),
  ("Grey Messenger", "spell", ["Level 1, Range: 1 mile, Duration: 1 day"], "The caster whispers a message of up to twenty words into cupped hands. A grey pigeon appears and flies to the named recipient."),
 ]),
 ("Treasures of the Order", [
  ("Staff of the Grey Order", "item", ["Charges: 2d10, Value: 8,000 gp"], "Carried by the order's masters, this staff casts grey messenger at no cost and veil of moths for one charge."),
  ("Mothwing Cloak", "item", ["Value: 1,500 gp"], "The wearer falls as slowly as a leaf and may glide 30' for every 10' of height."),
  ("Ink of Recall", "item", ["Value: 300 gp"], "A spell written with this ink into a spellbook can be memorised in half the usual time."),
 ]),
 ("Foes of the Order", [
  ("Page-Eater", "creature", ["HD 2, AC 6, MV 60', Atk 1 bite (1d4), ML 5"], "Page-eaters are pale grubs the size of a cat that devour paper. A library infested with them is soon worthless."),
  ("Ink Golem", "creature", ["HD 6, AC 4, MV 90', Atk 2 fists (1d8), ML 12"], "Made from the spilled ink of a thousand scribes, the ink golem serves the order as a guardian of the archive."),
 ]),
]),
}
for stem, (title, sections) in books.items():
    gold = []
    for layout in ("book", "plain"):
        out = ["# " + title, "", "Made-up entries for corpora's tests.", ""]
        for heading, entries in sections:
            out += ["# " + heading, ""]
            for name, cat, types, desc in entries:
                out += ["## " + name, ""]
                if layout == "book":
                    for t in types:
                        out += ["*" + t + "*", ""]
                    out += [desc, ""]
                else:
                    # Plain layout: the name and the last paragraph only.
                    paras = [p for p in desc.split("\n\n")]
                    out += [paras[-1], ""]
                if layout == "book":
                    gold.append({"name": name, "category": cat, "aliases": [name]})
        fn = stem + (".plain.md" if layout == "plain" else ".md")
        open(fn, "w").write("\n".join(out))
    json.dump(gold, open("gold/" + stem + ".json", "w"), indent=1)
