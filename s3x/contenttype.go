package s3x

import (
	"bufio"
	"os"
	"strings"
	"sync"
)

//go:generate sh -c "/usr/bin/python3 internal/mimegen/mimegen.py | gofmt > contenttype_gen.go"

// mimeFiles are the files Python's mimetypes reads, in order, each entry overriding the
// built-in table and the files before it (mimetypes.knownfiles).
var mimeFiles = []string{
	"/etc/mime.types", "/etc/httpd/mime.types", "/etc/httpd/conf/mime.types", "/etc/apache/mime.types",
	"/etc/apache2/mime.types", "/usr/local/etc/httpd/conf/mime.types", "/usr/local/lib/netscape/mime.types",
	"/usr/local/etc/httpd/conf/mime.types", "/usr/local/etc/mime.types",
}

// mimeTypes is Python's types_map once mimetypes.init() has read the machine's files.
var mimeTypes = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(pyTypesMap))
	for k, v := range pyTypesMap {
		m[k] = v
	}
	for _, name := range mimeFiles {
		readMimeFile(name, m)
	}
	return m
})

// readMimeFile adds the entries of a mime.types file as mimetypes.MimeTypes.readfp does:
// "type ext ext…" a line, "#" starting a comment word; extensions as written.
func readMimeFile(name string, m map[string]string) {
	if fi, err := os.Stat(name); err != nil || !fi.Mode().IsRegular() {
		return
	}
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		words := strings.Fields(sc.Text())
		for i, w := range words {
			if strings.HasPrefix(w, "#") {
				words = words[:i]
				break
			}
		}
		if len(words) < 2 {
			continue
		}
		for _, ext := range words[1:] {
			m["."+ext] = words[0]
		}
	}
}

// ContentType is the content type the AWS CLI gives an upload of the file name: Python's
// mimetypes.guess_type(name)[0], "" when it has none — the built-in table of Python 3.11,
// then the machine's mime.types files as Python reads them. "x.tar.gz" is application/x-tar
// (gzip is its encoding, not its type); "x.gz" has none. Uploads of [UploadFile], [Sync] and
// [StaticSite] get it unless told otherwise. ContentType is safe for concurrent use.
func ContentType(name string) string {
	base, ext := splitExt(name)
	for {
		s, ok := pySuffixMap[strings.ToLower(ext)]
		if !ok {
			break
		}
		base, ext = splitExt(base + s)
	}
	if _, ok := pyEncodingsMap[ext]; ok { // case-sensitive, as in Python
		base, ext = splitExt(base)
	}
	return mimeTypes()[strings.ToLower(ext)]
}

// splitExt is Python's posixpath.splitext: the extension starts at the last dot after the
// last slash, unless only dots precede it there (".bashrc" has none).
func splitExt(p string) (root, ext string) {
	sep := strings.LastIndexByte(p, '/')
	dot := strings.LastIndexByte(p, '.')
	if dot > sep {
		for i := sep + 1; i < dot; i++ {
			if p[i] != '.' {
				return p[:dot], p[dot:]
			}
		}
	}
	return p, ""
}
