import json
# Made-up entries in the layouts of other systems, written for corpora's
# tests (CC0). Each book: title, sections of (heading, [(name, category,
# type_lines, description)]).
books = {
"pf2_bestiary": ("Pathfinder-Style Bestiary", [
 ("Creatures of the Deep Woods", [
  ("Vavakia", "creature", ["Creature 3", "Uncommon, Medium, Fey"], "Perception +9; low-light vision\n\nVavakias haunt the hollow trunks of dead oaks, singing travellers off the path. A vavakia rarely fights fair: it lures its prey into thorn thickets before it strikes with its barbed fingers."),
  ("Zuipnyrn", "creature", ["Creature 1", "Common, Small, Beast"], "Perception +6; scent (imprecise) 30 feet\n\nThe zuipnyrns of the marshes hunt in packs of five or six, chittering to one another as they circle. Farmers set out salt to keep them from the henhouses."),
  ("Firegeist", "creature", ["Creature 5", "Rare, Medium, Elemental, Fire"], "Perception +11; darkvision\n\nWhere a forge fire burned for a century, a firegeist may wake in the embers. It remembers the smith's hammer and mimics its rhythm as it burns whatever it touches."),
  ("Thornback Stalker", "creature", ["Creature 4", "Large, Animal"], "Perception +12\n\nThis hulking predator drags itself through the undergrowth on four clawed limbs, its back a mat of woody spines. Hunters who follow its trail rarely return."),
  ("Mossgrave Hag", "creature", ["Creature 6", "Medium, Hag, Humanoid"], "Perception +13; darkvision\n\nOld as the bog she lives in, a mossgrave hag trades in promises. These crones gather in covens of three when a village displeases them."),
 ]),
 ("Townsfolk", [
  ("Tinkerer", "creature", ["Creature 1", "Medium, Human, Humanoid"], "Perception +5\n\nTinkerers wander from town to town mending pots and selling clockwork toys. Most carry a satchel of tools that doubles as a club."),
  ("Caravan Guard", "creature", ["Creature 2", "Medium, Human, Humanoid"], "Perception +8\n\nCaravan guards are hired in every market town along the salt road. They are loyal to whoever paid them last."),
  ("Archmage", "creature", ["Creature 12", "Medium, Human, Humanoid"], "Perception +20\n\nAn archmage commands the arcane as few mortals can, usually from a tower guarded by lesser apprentices."),
 ]),
]),
"pf2_spells": ("Pathfinder-Style Spells", [
 ("Arcane and Primal Spells", [
  ("Ashen Veil", "spell", ["Spell 2", "Concentrate, Manipulate"], "Traditions arcane, primal\nRange 30 feet; Area 10-foot burst\nDuration 1 minute\n\nYou call down a curtain of drifting ash that blocks sight. Creatures in the area are concealed, and each creature that ends its turn there must attempt a Fortitude save or cough uncontrollably."),
  ("Glimmerstep", "spell", ["Spell 1", "Teleportation"], "Traditions arcane, occult\nRange 20 feet\n\nYou vanish in a spray of sparks and reappear in an unoccupied space you can see within range."),
  ("Rootbind", "spell", ["Spell 3", "Plant, Primal"], "Range 60 feet; Targets 1 creature\nSaving Throw Reflex\n\nRoots burst from the soil and coil around the target. The target must succeed at a Reflex save or be immobilized until the roots are cut."),
  ("Whispering Lantern", "spell", ["Cantrip 1", "Light"], "Range 120 feet; Targets 1 object\n\nThe object glows like a lantern, and anyone holding it hears faint voices naming the dead buried nearby."),
  ("Salt of the Tide", "spell", ["Spell 4", "Water"], "Area 20-foot cone\n\nA wave of brine crashes outward from your hands. Each creature in the area takes 4d6 bludgeoning damage and is pushed 10 feet."),
 ]),
]),
"pf2_items": ("Pathfinder-Style Treasure", [
 ("Magic Items", [
  ("Farsight Stone", "item", ["Item 3", "Uncommon, Magical, Scrying"], "Price 60 gp\nUsage held in 1 hand; Bulk L\n\nThis smooth grey stone has a hole worn through its middle. Looking through the hole, you see distant things as if they were close."),
  ("Oil of Potency", "item", ["Item 2", "Consumable, Magical, Oil"], "Price 7 gp\nUsage held in 2 hands; Bulk L\n\nWhen you rub this golden oil onto a weapon, the weapon strikes with greater force until the end of the next minute."),
  ("Vine Arrow", "item", ["Item 4", "Consumable, Magical, Plant"], "Price 15 gp\nAmmunition arrow\n\nWhen this arrow hits, it sprouts grasping vines that hold the target to the ground."),
  ("Cloak of the Ninth Night", "item", ["Item 7", "Invested, Magical, Shadow"], "Price 340 gp\nUsage worn cloak; Bulk L\n\nWhoever wears this cloak blends into darkness, and dogs will not bark at the wearer."),
  ("Brass Tallyman", "item", ["Item 5", "Clockwork, Magical"], "Price 160 gp\nUsage held in 1 hand; Bulk 1\n\nA little brass figure that counts aloud anything placed before it: coins, soldiers, sheep."),
 ]),
 ("Gods of the Salt Coast", [
  ("Iomara", "character", [], "Iomara is the goddess of tides and drowned sailors. Her priests wear blue cords and she answers prayers only at low tide."),
  ("Velkhar the Undying", "character", [], "Velkhar was a king who refused to die. He still sits his throne beneath the dunes, and his cult leaves him bread each spring."),
 ]),
]),
"osr_monsters": ("Old-School Monster Manual", [
 ("Monsters", [
  ("Grelk", "creature", ["HD 3, AC 5, MV 120', Atk 1 bite (1d8), ML 8"], "Grelks are squat reptiles that lair in flooded ruins. A grelk swallows small prey whole."),
  ("Bone Warden", "creature", ["HD 5, AC 3, MV 90', Atk 2 claws (1d6), ML 12"], "These skeletal guardians were raised to watch over royal tombs. They never sleep and never leave their post."),
  ("Mire Drake", "creature", ["HD 7, AC 4, MV 60' (fly 150'), Atk bite 2d6 or breath, ML 9"], "A mire drake breathes a cloud of choking swamp gas. Its hide is covered in moss and leeches."),
  ("Ghoulish Hermit", "creature", ["HD 2, AC 8, MV 120', Atk 1 weapon, ML 6"], "Ghoulish hermits were once monks who ate the flesh of the dead to survive a famine. They dwell alone in caves."),
  ("Skarrow", "creature", ["HD 1, AC 7, MV 180', Atk 1 peck (1d4), ML 7"], "Skarrows are carrion birds the size of a dog. A flock of skarrows follows every army."),
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
                    # Plain layout: the name and the description only.
                    paras = [p for p in desc.split("\n\n")]
                    out += [paras[-1], ""]
                if layout == "book":
                    gold.append({"name": name, "category": cat, "aliases": [name]})
        fn = stem + (".plain.md" if layout == "plain" else ".md")
        open(fn, "w").write("\n".join(out))
    json.dump(gold, open("gold/" + stem + ".json", "w"), indent=1)
