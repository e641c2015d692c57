// Command restgen writes the wire facts of the restJson1 services whose aws-sdk-go-v2 module
// is of the generation with generated serializers (serializers.go, deserializers.go: EFS), for
// package jsonproto's [Rest] to serve them. The schema-based modules need nothing of it: their
// schemas carry the same facts at run time.
//
// It reads, with go/ast, exactly the patterns the SDK's generator writes, and fails on any
// other, so that an SDK upgrade that changes them is noticed here:
//
//   - an operation's route: HandleSerialize of awsRestjson1_serializeOp<Op>, its
//     httpbinding.SplitURI("…") and request.Method = "…";
//   - the members bound to the URI, the query string and headers:
//     awsRestjson1_serializeOpHttpBindings<Input>, one `if v.F …` per member, each with one
//     encoder.SetURI/SetQuery/AddQuery/SetHeader/AddHeader/Headers("name");
//   - the JSON keys of input structures: awsRestjson1_serializeOpDocument<Input> and
//     awsRestjson1_serializeDocument<T>, one `if v.F …` with one object.Key("key") each;
//   - the JSON keys of output structures: awsRestjson1_deserializeOpDocument<Output> and
//     awsRestjson1_deserializeDocument<T>, `case "key":` clauses assigning sv.F;
//   - output members bound to headers: awsRestjson1_deserializeOpHttpBindings<Output>.
//
// The success status of each operation (201 for EFS's CreateFileSystem, 204 for its deletes)
// is in no Go code of that generation: it is read from botocore's model of the service, as
// s3sim's routegen does.
//
// The file written, data/<service>.rest, has one fact per line:
//
//	svc efs 2015-02-01 efs@v1.41.18
//	op CreateFileSystem POST /2015-02-01/file-systems 201 CreateFileSystemInput CreateFileSystemOutput
//	bind DescribeFileSystemsInput MaxItems query MaxItems
//	in CreateFileSystemInput CreationToken CreationToken [timestamp-format]
//	out FileSystemDescription CreationTime CreationTime epoch-seconds
//	obind XOutput F header Name
//	alias DescribeTags /2015-02-01/tags/{FileSystemId}/
//
// An alias is the URI of botocore's model where it differs from the SDK's by a trailing slash
// only (EFS's DescribeTags): the AWS CLI and boto3 send it, and AWS answers both.
//
// Usage (from sim/internal/jsonproto): go run ./internal/restgen [-data dir]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/awsxlab/awsx/internal/awsmodel"
)

func main() {
	dataDir := flag.String("data", "data", "directory for the <service>.rest files")
	botocore := flag.String("botocore", "", "botocore's data directory; found through python3 when empty")
	flag.Parse()
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		fatal(err)
	}
	for _, s := range awsmodel.Services() {
		if s.Protocol != awsmodel.RESTJSON1 {
			continue
		}
		dir, err := moduleDir(s.Module)
		if err != nil {
			fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "serializers.go")); os.IsNotExist(err) {
			continue // schema-based: nothing to write
		}
		if *botocore == "" {
			b, err := exec.Command("python3", "-c", "import botocore,os; print(os.path.dirname(botocore.__file__))").Output()
			if err != nil {
				fatal(fmt.Errorf("finding botocore (give -botocore): %w", err))
			}
			*botocore = filepath.Join(strings.TrimSpace(string(b)), "data")
		}
		codes, uris, err := statusCodes(filepath.Join(*botocore, s.Botocore, s.APIVersion))
		if err != nil {
			fatal(err)
		}
		g := &gen{codes: codes, uris: uris}
		if err := g.serializers(filepath.Join(dir, "serializers.go")); err != nil {
			fatal(err)
		}
		if err := g.deserializers(filepath.Join(dir, "deserializers.go")); err != nil {
			fatal(err)
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "svc %s %s %s\n", s.Name, s.APIVersion, filepath.Base(dir))
		for _, set := range [][]string{g.ops, g.aliases, g.binds, g.ins, g.outs, g.obinds} {
			sort.Strings(set)
			for _, l := range set {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
		if err := os.WriteFile(filepath.Join(*dataDir, s.Name+".rest"), b.Bytes(), 0o644); err != nil {
			fatal(err)
		}
		fmt.Fprintf(os.Stderr, "restgen: %s: %d operations, %d bound members, %d input and %d output members\n",
			s.Name, len(g.ops), len(g.binds), len(g.ins), len(g.outs))
	}
}

type gen struct {
	codes                                  map[string]int
	uris                                   map[string]string
	ops, aliases, binds, ins, outs, obinds []string
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "restgen:", err)
	os.Exit(1)
}

func moduleDir(mod string) (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mod).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %v", mod, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// statusCodes reads each operation's http.responseCode and requestUri from botocore's
// service-2.json(.gz).
func statusCodes(dir string) (map[string]int, map[string]string, error) {
	var r io.Reader
	if f, err := os.Open(filepath.Join(dir, "service-2.json.gz")); err == nil {
		defer f.Close()
		if r, err = gzip.NewReader(f); err != nil {
			return nil, nil, err
		}
	} else if f, err := os.Open(filepath.Join(dir, "service-2.json")); err == nil {
		defer f.Close()
		r = f
	} else {
		return nil, nil, fmt.Errorf("no botocore model in %s", dir)
	}
	var m struct {
		Operations map[string]struct {
			HTTP struct {
				ResponseCode int    `json:"responseCode"`
				RequestURI   string `json:"requestUri"`
			} `json:"http"`
		} `json:"operations"`
	}
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	codes, uris := map[string]int{}, map[string]string{}
	for n, o := range m.Operations {
		codes[n], uris[n] = o.HTTP.ResponseCode, o.HTTP.RequestURI
	}
	return codes, uris, nil
}

func parse(path string) (*token.FileSet, *ast.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	return fset, f, err
}

func (g *gen) serializers(path string) error {
	fset, f, err := parse(path)
	if err != nil {
		return err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fd.Name.Name
		pos := fset.Position(fd.Pos())
		switch {
		case fd.Recv != nil && name == "HandleSerialize":
			op, ok := strings.CutPrefix(recvName(fd), "awsRestjson1_serializeOp")
			if !ok {
				return fmt.Errorf("%s: HandleSerialize on %s", pos, recvName(fd))
			}
			if err := g.route(fset, fd, op); err != nil {
				return err
			}
		case strings.HasPrefix(name, "awsRestjson1_serializeOpHttpBindings"):
			typ := name[len("awsRestjson1_serializeOpHttpBindings"):]
			if err := g.bindings(fset, fd, typ); err != nil {
				return err
			}
		case strings.HasPrefix(name, "awsRestjson1_serializeOpDocument"), strings.HasPrefix(name, "awsRestjson1_serializeDocument"):
			typ, isStruct := structParam(fd)
			if !isStruct {
				continue // a list or a map
			}
			if err := g.inKeys(fset, fd, typ); err != nil {
				return err
			}
		}
	}
	if len(g.ops) == 0 {
		return fmt.Errorf("%s: no operations", path)
	}
	return nil
}

func recvName(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// structParam returns the name of the struct type a (de)serializer's first parameter points
// to (*T, *types.T, **T), and whether it is one.
func structParam(fd *ast.FuncDecl) (string, bool) {
	t := fd.Type.Params.List[0].Type
	star, ok := t.(*ast.StarExpr)
	if !ok {
		return "", false
	}
	t = star.X
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.Ident:
		return x.Name, true
	case *ast.SelectorExpr:
		return x.Sel.Name, true
	}
	return "", false
}

// route reads an operation's URI, method and input and output types.
func (g *gen) route(fset *token.FileSet, fd *ast.FuncDecl, op string) error {
	var uri, method, input string
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if isSel(x.Fun, "httpbinding", "SplitURI") && len(x.Args) == 1 {
				uri, _ = lit(x.Args[0])
			}
		case *ast.AssignStmt:
			if len(x.Lhs) == 1 && isSel(x.Lhs[0], "request", "Method") {
				method, _ = lit(x.Rhs[0])
			}
		case *ast.TypeAssertExpr:
			if isSel(x.X, "in", "Parameters") {
				if s, ok := x.Type.(*ast.StarExpr); ok {
					if id, ok := s.X.(*ast.Ident); ok {
						input = id.Name
					}
				}
			}
		}
		return true
	})
	if uri == "" || method == "" || input == "" {
		return fmt.Errorf("%s: %s: no SplitURI, request.Method or input type", fset.Position(fd.Pos()), op)
	}
	code, ok := g.codes[op]
	if !ok {
		return fmt.Errorf("%s: botocore's model has no operation %s", fset.Position(fd.Pos()), op)
	}
	if code == 0 {
		code = 200
	}
	g.ops = append(g.ops, fmt.Sprintf("op %s %s %s %d %s %sOutput", op, method, uri, code, input, op))
	if b := g.uris[op]; b != uri {
		if strings.TrimSuffix(b, "/") != strings.TrimSuffix(uri, "/") {
			return fmt.Errorf("%s: %s: the SDK's URI %q is not botocore's %q", fset.Position(fd.Pos()), op, uri, b)
		}
		g.aliases = append(g.aliases, fmt.Sprintf("alias %s %s", op, b))
	}
	return nil
}

// bindings reads the members an input carries in the URI, the query string or headers.
func (g *gen) bindings(fset *token.FileSet, fd *ast.FuncDecl, typ string) error {
	for _, st := range fd.Body.List {
		is, ok := st.(*ast.IfStmt)
		if !ok {
			continue
		}
		field := fieldOf(is.Cond, "v")
		var where, name string
		n := 0
		ast.Inspect(is.Body, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, "encoder") || len(call.Args) != 1 {
				return true
			}
			s, ok := lit(call.Args[0])
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "SetURI":
				where = "uri"
			case "SetQuery", "AddQuery":
				where = "query"
			case "SetHeader", "AddHeader":
				where = "header"
			case "Headers":
				where = "prefix"
			default:
				return true
			}
			name = s
			n++
			return true
		})
		if n == 0 {
			continue // a check (a label must not be empty), not a binding
		}
		if field == "" || n != 1 {
			return fmt.Errorf("%s: %s: an unknown binding pattern", fset.Position(is.Pos()), typ)
		}
		g.binds = append(g.binds, fmt.Sprintf("bind %s %s %s %s", typ, field, where, name))
	}
	return nil
}

// inKeys reads the JSON keys of an input structure's members.
func (g *gen) inKeys(fset *token.FileSet, fd *ast.FuncDecl, typ string) error {
	for _, st := range fd.Body.List {
		is, ok := st.(*ast.IfStmt)
		if !ok {
			continue
		}
		field := fieldOf(is.Cond, "v")
		var keys []string
		tf := ""
		ast.Inspect(is.Body, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "object") && sel.Sel.Name == "Key" && len(call.Args) == 1 {
				if s, ok := lit(call.Args[0]); ok {
					keys = append(keys, s)
				}
			}
			tf = timeFormat(call, tf)
			return true
		})
		if len(keys) == 0 {
			continue
		}
		if field == "" || len(keys) != 1 {
			return fmt.Errorf("%s: %s: an unknown document pattern", fset.Position(is.Pos()), typ)
		}
		g.ins = append(g.ins, strings.TrimSpace(fmt.Sprintf("in %s %s %s %s", typ, field, keys[0], tf)))
	}
	return nil
}

// timeFormat returns the timestamp format a smithytime call writes or reads, or tf.
func timeFormat(call *ast.CallExpr, tf string) string {
	switch {
	case isSel(call.Fun, "smithytime", "FormatEpochSeconds"), isSel(call.Fun, "smithytime", "ParseEpochSeconds"):
		return "epoch-seconds"
	case isSel(call.Fun, "smithytime", "FormatDateTime"), isSel(call.Fun, "smithytime", "ParseDateTime"):
		return "date-time"
	case isSel(call.Fun, "smithytime", "FormatHTTPDate"), isSel(call.Fun, "smithytime", "ParseHTTPDate"):
		return "http-date"
	}
	return tf
}

func (g *gen) deserializers(path string) error {
	fset, f, err := parse(path)
	if err != nil {
		return err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		name := fd.Name.Name
		switch {
		case strings.HasPrefix(name, "awsRestjson1_deserializeOpHttpBindings"):
			if err := g.outBindings(fset, fd, name[len("awsRestjson1_deserializeOpHttpBindings"):]); err != nil {
				return err
			}
		case strings.HasPrefix(name, "awsRestjson1_deserializeOpDocument"), strings.HasPrefix(name, "awsRestjson1_deserializeDocument"):
			typ, ok := structParam(fd)
			if !ok || !isDoublePointer(fd) {
				continue // a list, a map or a document
			}
			if err := g.outKeys(fset, fd, typ); err != nil {
				return err
			}
		}
	}
	return nil
}

func isDoublePointer(fd *ast.FuncDecl) bool {
	s, ok := fd.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	_, ok = s.X.(*ast.StarExpr)
	return ok
}

// outKeys reads the JSON keys of an output structure's members from its switch on the key.
func (g *gen) outKeys(fset *token.FileSet, fd *ast.FuncDecl, typ string) error {
	var err error
	ast.Inspect(fd.Body, func(nd ast.Node) bool {
		cc, ok := nd.(*ast.CaseClause)
		if !ok || err != nil {
			return true
		}
		var keys []string
		for _, e := range cc.List {
			if s, ok := lit(e); ok {
				keys = append(keys, s)
			}
		}
		if len(keys) == 0 {
			return true
		}
		field, tf := "", ""
		for _, st := range cc.Body {
			ast.Inspect(st, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.AssignStmt:
					if f := fieldOf(x.Lhs[0], "sv"); f != "" && field == "" {
						field = f
					}
				case *ast.CallExpr:
					tf = timeFormat(x, tf)
					// a nested structure, list or map: awsRestjson1_deserializeDocumentX(&sv.F, value)
					if id, ok := x.Fun.(*ast.Ident); ok && strings.HasPrefix(id.Name, "awsRestjson1_deserializeDocument") && len(x.Args) == 2 {
						if u, ok := x.Args[0].(*ast.UnaryExpr); ok && u.Op == token.AND && field == "" {
							field = fieldOf(u.X, "sv")
						}
					}
				}
				return true
			})
		}
		if field == "" {
			err = fmt.Errorf("%s: %s: case %q assigns no member", fset.Position(cc.Pos()), typ, keys)
			return false
		}
		for _, k := range keys {
			g.outs = append(g.outs, strings.TrimSpace(fmt.Sprintf("out %s %s %s %s", typ, field, k, tf)))
		}
		return true
	})
	return err
}

// outBindings reads the output members bound to headers. A member bound to the status code
// (@httpResponseCode) or to a prefix of headers is not supported yet: it fails.
func (g *gen) outBindings(fset *token.FileSet, fd *ast.FuncDecl, typ string) error {
	var unsupported ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		se, ok := n.(*ast.SelectorExpr)
		if ok && (isSel(se, "response", "StatusCode") || isSel(se.X, "response", "Header") && se.Sel.Name != "Values") {
			unsupported = n
		}
		return true
	})
	if unsupported != nil {
		return fmt.Errorf("%s: %s: an output binding restgen does not know", fset.Position(unsupported.Pos()), typ)
	}
	for _, st := range fd.Body.List {
		is, ok := st.(*ast.IfStmt)
		if !ok {
			continue
		}
		var header, field string
		ast.Inspect(is, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if se, ok := x.Fun.(*ast.SelectorExpr); ok && se.Sel.Name == "Values" && isSel(se.X, "response", "Header") && len(x.Args) == 1 {
					header, _ = lit(x.Args[0])
				}
			case *ast.AssignStmt:
				if f := fieldOf(x.Lhs[0], "v"); f != "" && field == "" {
					field = f
				}
			}
			return true
		})
		if header == "" {
			continue
		}
		if field == "" {
			return fmt.Errorf("%s: %s: an unknown output binding pattern", fset.Position(is.Pos()), typ)
		}
		g.obinds = append(g.obinds, fmt.Sprintf("obind %s %s header %s", typ, field, header))
	}
	return nil
}

// fieldOf returns F of the first v.F in e.
func fieldOf(e ast.Expr, v string) string {
	field := ""
	ast.Inspect(e, func(n ast.Node) bool {
		if se, ok := n.(*ast.SelectorExpr); ok && isIdent(se.X, v) && field == "" {
			field = se.Sel.Name
			return false
		}
		return field == ""
	})
	return field
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func isSel(e ast.Expr, x, name string) bool {
	se, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(se.X, x) && se.Sel.Name == name
}

func lit(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}
