package docx

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"unicode/utf16"

	"github.com/corpora-tools/corpora/internal/document"
)

// Agile encryption (MS-OFFCRYPTO 2.3.4.10), the scheme Word has used since
// 2010: the password, hashed spinCount times, unlocks the package key, which
// decrypts EncryptedPackage in 4096-byte segments with AES-CBC.

// maxSpinCount bounds the password hashing a hostile file may ask for
// (Word writes 100,000).
const maxSpinCount = 10_000_000

var (
	blockKeyValue        = []byte{0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6}
	blockVerifierInput   = []byte{0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79}
	blockVerifierHashVal = []byte{0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e}
)

type agileInfo struct {
	KeyData struct {
		SaltValue     string `xml:"saltValue,attr"`
		HashAlgorithm string `xml:"hashAlgorithm,attr"`
		BlockSize     int    `xml:"blockSize,attr"`
		KeyBits       int    `xml:"keyBits,attr"`
		Cipher        string `xml:"cipherAlgorithm,attr"`
		Chaining      string `xml:"cipherChaining,attr"`
	} `xml:"keyData"`
	KeyEncryptors []struct {
		URI          string `xml:"uri,attr"`
		EncryptedKey struct {
			SpinCount     int    `xml:"spinCount,attr"`
			SaltValue     string `xml:"saltValue,attr"`
			HashAlgorithm string `xml:"hashAlgorithm,attr"`
			KeyBits       int    `xml:"keyBits,attr"`
			VerifierInput string `xml:"encryptedVerifierHashInput,attr"`
			VerifierHash  string `xml:"encryptedVerifierHashValue,attr"`
			KeyValue      string `xml:"encryptedKeyValue,attr"`
		} `xml:"encryptedKey"`
	} `xml:"keyEncryptors>keyEncryptor"`
}

// decryptOOXML opens an encrypted OOXML package with password and returns
// the zip inside. Errors wrap document.ErrEncrypted (no or a wrong
// password), document.ErrUnsupported (another scheme) or ErrMalformed.
func decryptOOXML(data []byte, password string) ([]byte, error) {
	c, err := openCFB(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", document.ErrMalformed, err)
	}
	info, ok1 := c.stream("EncryptionInfo")
	pkg, ok2 := c.stream("EncryptedPackage")
	if !ok1 || !ok2 || len(info) < 8 || len(pkg) < 8 {
		return nil, fmt.Errorf("%w: encrypted Word document without readable EncryptionInfo and EncryptedPackage streams", document.ErrMalformed)
	}
	if v := binary.LittleEndian.Uint32(info); v != 0x00040004 {
		return nil, fmt.Errorf("%w: encrypted Word document using standard or legacy encryption (version %d.%d); only agile encryption is supported, decrypt it first",
			document.ErrUnsupported, v&0xFFFF, v>>16)
	}
	if password == "" {
		return nil, fmt.Errorf("%w Word document (OLE2 container); give its password with --password or decrypt it first", document.ErrEncrypted)
	}
	var ai agileInfo
	if err := xml.Unmarshal(info[8:], &ai); err != nil {
		return nil, fmt.Errorf("%w: EncryptionInfo: %v", document.ErrMalformed, err)
	}
	if ai.KeyData.Cipher != "AES" || ai.KeyData.Chaining != "ChainingModeCBC" {
		return nil, fmt.Errorf("%w: encrypted Word document with cipher %s/%s", document.ErrUnsupported, ai.KeyData.Cipher, ai.KeyData.Chaining)
	}
	for _, ke := range ai.KeyEncryptors {
		if ke.EncryptedKey.KeyValue == "" {
			continue // a certificate encryptor
		}
		key, err := agileKey(ai, ke.EncryptedKey.SpinCount, ke.EncryptedKey.SaltValue, ke.EncryptedKey.HashAlgorithm,
			ke.EncryptedKey.KeyBits, ke.EncryptedKey.VerifierInput, ke.EncryptedKey.VerifierHash, ke.EncryptedKey.KeyValue, password)
		if err != nil {
			return nil, err
		}
		return decryptPackage(ai, key, pkg)
	}
	return nil, fmt.Errorf("%w: encrypted Word document without a password key encryptor", document.ErrUnsupported)
}

func newHash(name string) (func() hash.Hash, error) {
	switch name {
	case "SHA1", "SHA-1":
		return sha1.New, nil
	case "SHA256", "SHA-256":
		return sha256.New, nil
	case "SHA384", "SHA-384":
		return sha512.New384, nil
	case "SHA512", "SHA-512":
		return sha512.New, nil
	}
	return nil, fmt.Errorf("%w: encrypted Word document with hash %q", document.ErrUnsupported, name)
}

func b64(s string) []byte {
	b, _ := base64.StdEncoding.DecodeString(s)
	return b
}

func sum(h func() hash.Hash, parts ...[]byte) []byte {
	d := h()
	for _, p := range parts {
		d.Write(p)
	}
	return d.Sum(nil)
}

// fit truncates b to n bytes or pads it with 0x36, as the specification says.
func fit(b []byte, n int) []byte {
	if len(b) >= n {
		return b[:n]
	}
	return append(append([]byte{}, b...), bytes.Repeat([]byte{0x36}, n-len(b))...)
}

func cbcDecrypt(key, iv, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) < block.BlockSize() || len(data)%block.BlockSize() != 0 {
		return nil, errors.New("bad AES block length")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv[:block.BlockSize()]).CryptBlocks(out, data)
	return out, nil
}

// agileKey derives the package key from the password and checks it
// against the verifier.
func agileKey(ai agileInfo, spin int, salt64, hashName string, keyBits int, vIn64, vHash64, kv64, password string) ([]byte, error) {
	h, err := newHash(hashName)
	if err != nil {
		return nil, err
	}
	if spin < 0 || spin > maxSpinCount || keyBits%8 != 0 || keyBits == 0 {
		return nil, fmt.Errorf("%w: encrypted Word document with implausible key parameters", document.ErrMalformed)
	}
	salt := b64(salt64)
	pw := utf16.Encode([]rune(password))
	pwBytes := make([]byte, 2*len(pw))
	for i, u := range pw {
		binary.LittleEndian.PutUint16(pwBytes[2*i:], u)
	}
	hv := sum(h, salt, pwBytes)
	var iter [4]byte
	d := h()
	for i := 0; i < spin; i++ {
		binary.LittleEndian.PutUint32(iter[:], uint32(i))
		d.Reset()
		d.Write(iter[:])
		d.Write(hv)
		hv = d.Sum(hv[:0])
	}
	derive := func(block []byte) []byte { return fit(sum(h, hv, block), keyBits/8) }
	wrong := fmt.Errorf("%w Word document: wrong password", document.ErrEncrypted)
	vIn, err1 := cbcDecrypt(derive(blockVerifierInput), salt, b64(vIn64))
	vHash, err2 := cbcDecrypt(derive(blockVerifierHashVal), salt, b64(vHash64))
	key, err3 := cbcDecrypt(derive(blockKeyValue), salt, b64(kv64))
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("%w: encrypted Word document with broken key data", document.ErrMalformed)
	}
	want := sum(h, vIn[:min(len(vIn), saltLen(ai))])
	if len(vHash) < len(want) || !bytes.Equal(vHash[:len(want)], want) {
		return nil, wrong
	}
	return fit(key, ai.KeyData.KeyBits/8), nil
}

func saltLen(ai agileInfo) int {
	if n := len(b64(ai.KeyData.SaltValue)); n > 0 {
		return n
	}
	return 16
}

// decryptPackage decrypts EncryptedPackage: an 8-byte size, then 4096-byte
// segments, each with its own IV.
func decryptPackage(ai agileInfo, key, pkg []byte) ([]byte, error) {
	h, err := newHash(ai.KeyData.HashAlgorithm)
	if err != nil {
		return nil, err
	}
	size := binary.LittleEndian.Uint64(pkg)
	body := pkg[8:]
	if size > uint64(len(body)) {
		return nil, fmt.Errorf("%w: encrypted package shorter than it claims", document.ErrMalformed)
	}
	salt := b64(ai.KeyData.SaltValue)
	out := make([]byte, 0, len(body))
	var idx [4]byte
	for seg := 0; len(body) > 0; seg++ {
		n := min(len(body), 4096)
		chunk := body[:n]
		body = body[n:]
		if rem := len(chunk) % aes.BlockSize; rem != 0 {
			chunk = chunk[:len(chunk)-rem] // trailing bytes past the last block carry nothing
		}
		binary.LittleEndian.PutUint32(idx[:], uint32(seg))
		plain, err := cbcDecrypt(key, fit(sum(h, salt, idx[:]), ai.KeyData.BlockSize), chunk)
		if err != nil {
			return nil, fmt.Errorf("%w: encrypted package: %v", document.ErrMalformed, err)
		}
		out = append(out, plain...)
	}
	if uint64(len(out)) < size {
		return nil, fmt.Errorf("%w: encrypted package cut short", document.ErrMalformed)
	}
	return out[:size], nil
}
