package epub

import (
	"context"
	"encoding/xml"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
)

// fontObfuscation are the META-INF/encryption.xml algorithms that only
// scramble embedded fonts (IDPF and Adobe): the text stays readable.
var fontObfuscation = map[string]bool{
	"http://www.idpf.org/2008/embedding": true,
	"http://ns.adobe.com/pdf/enc#RC":     true,
}

// encryptedResources reads META-INF/encryption.xml and returns the archive
// names whose content is really encrypted (DRM), font obfuscation aside.
func encryptedResources(ctx context.Context, a *container.Archive, lim document.Limits) map[string]bool {
	data, err := a.ReadFile("META-INF/encryption.xml")
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	d := container.NewDecoder(ctx, data, lim)
	algorithm := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "EncryptedData":
			algorithm = ""
		case "EncryptionMethod":
			if algorithm == "" {
				algorithm = container.Attr(se, "Algorithm")
			}
		case "CipherReference":
			uri := container.Attr(se, "URI")
			if uri != "" && !fontObfuscation[algorithm] && !strings.Contains(uri, "://") {
				out[resolve("", uri)] = true
			}
		}
	}
}
