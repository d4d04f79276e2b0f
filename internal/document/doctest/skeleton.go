package doctest

// ContainerXML is META-INF/container.xml naming the package document at
// fullPath.
func ContainerXML(fullPath string) string {
	return `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="` +
		fullPath + `" media-type="application/oebps-package+xml"/></rootfiles></container>`
}

// OPF is a package document with the given manifest items and spine
// itemrefs (raw XML).
func OPF(manifest, spine string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier><dc:title>Hostile Book</dc:title><dc:language>en</dc:language></metadata>
<manifest>` + manifest + `</manifest><spine>` + spine + `</spine></package>`
}

// XHTML is an XHTML chapter whose body is body.
func XHTML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>` + body + `</body></html>`
}

// EPUB is a book of entries after mimetype and container.xml (pointing at
// OEBPS/content.opf); pairs are name, content.
func EPUB(pairs ...string) []byte {
	return EPUBEntries(Pairs(pairs...)...)
}

// Pairs turns name, content pairs into entries.
func Pairs(pairs ...string) []Entry {
	var ents []Entry
	for i := 0; i+1 < len(pairs); i += 2 {
		ents = append(ents, Entry{Name: pairs[i], Data: []byte(pairs[i+1])})
	}
	return ents
}

// EPUBEntries is EPUB with hand-made entries after the fixed ones.
func EPUBEntries(ents ...Entry) []byte {
	head := []Entry{
		{Name: "mimetype", Data: []byte("application/epub+zip"), Store: true},
		{Name: "META-INF/container.xml", Data: []byte(ContainerXML("OEBPS/content.opf"))},
	}
	return ZipOf(append(head, ents...)...)
}

// WordNS and WordStrictNS are the WordprocessingML namespaces, transitional
// and strict.
const WordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
const WordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"

// WordDocument is a document.xml whose w:body holds body.
func WordDocument(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + WordNS + `"><w:body>` + body + `</w:body></w:document>`
}

// WordPara is one paragraph of one run.
func WordPara(s string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p>`
}

// ContentTypes is the [Content_Types].xml of a DOCX package.
const ContentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

// RootRels is the _rels/.rels of a DOCX package.
const RootRels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

// DOCX is a package of [Content_Types].xml, _rels/.rels and the given
// entries (name, content pairs).
func DOCX(pairs ...string) []byte {
	return DOCXEntries(Pairs(pairs...)...)
}

// DOCXEntries is DOCX with hand-made entries.
func DOCXEntries(ents ...Entry) []byte {
	head := []Entry{
		{Name: "[Content_Types].xml", Data: []byte(ContentTypes)},
		{Name: "_rels/.rels", Data: []byte(RootRels)},
	}
	return ZipOf(append(head, ents...)...)
}
