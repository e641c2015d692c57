package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind is the kind of a policy document; each kind has its own validation rules.
type Kind int

const (
	// Identity is a policy attached to a user, group or role (inline or managed), and also a
	// permissions boundary or a session policy. It must not have Principal or NotPrincipal.
	Identity Kind = iota
	// Resource is a resource-based policy such as a bucket policy: it needs Principal or
	// NotPrincipal.
	Resource
	// Trust is a role's trust policy: a resource-based policy whose Principal is required and
	// which may not have Resource or NotResource.
	Trust
)

// String returns "identity", "resource" or "trust".
func (k Kind) String() string {
	switch k {
	case Identity:
		return "identity"
	case Resource:
		return "resource"
	case Trust:
		return "trust"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// The two policy language versions IAM accepts. Policy variables are only substituted in
// VersionCurrent documents; in older ones "${...}" is literal text.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Policy is a parsed and validated policy document. A Policy is immutable after [Parse] and
// safe for concurrent use by any number of goroutines.
type Policy struct {
	Version    string // "2012-10-17", "2008-10-17" or "" when the document has none
	ID         string // the optional Id element
	Statements []Statement

	vars         bool // Version 2012-10-17: policy variables are substituted
	readsContext bool // a statement has a Condition or a policy variable in its Resource
}

// ReadsContext reports whether evaluating p can read a request's [Context]: whether a statement
// has a Condition or a policy variable in its Resource. A caller that builds the context of
// every request can leave it out where no policy reads it.
func (p *Policy) ReadsContext() bool { return p.readsContext }

// Statement is one statement of a policy. Lists hold the values as written; a single string in
// the document is a list of one.
type Statement struct {
	Sid    string
	Effect string // "Allow" or "Deny", normalized to this spelling

	Principal    *Principals // nil when absent
	NotPrincipal *Principals // nil when absent

	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string

	// Condition maps an operator ("StringEquals", "ForAnyValue:StringLike", "DateLessThanIfExists"…)
	// to condition keys and their values. Numbers and booleans in the document are kept as their
	// JSON text ("10", "true"). Nil when the statement has no Condition.
	Condition map[string]map[string][]string

	c compiled
}

// Principals is the value of a Principal or NotPrincipal element.
type Principals struct {
	// All is true for "Principal": "*". {"AWS": "*"} is kept in AWS and means the same.
	All           bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Error is a validation error of a policy document. Message is the text IAM gives in its
// MalformedPolicyDocument error; the other fields say where the problem is.
type Error struct {
	Statement int    // index of the statement, from 0; -1 for the document itself
	Sid       string // the statement's Sid, if it has one
	Field     string // "Version", "Statement", "Action", "Condition"…; "" when unknown
	Message   string // IAM's message, e.g. "Policy statement must contain actions."
	Detail    string // what exactly was found, when Message does not say it (may be "")
}

// Error returns "policy: " + where + ": " + Message, where "where" names the statement (index
// and Sid) and the field.
func (e *Error) Error() string {
	return "policy: " + e.Where() + ": " + e.Message
}

// Where reports where the error is, e.g. `statement 1 (Sid "Deny"), Resource` or `document`.
func (e *Error) Where() string {
	var b strings.Builder
	if e.Statement < 0 {
		if e.Field == "" {
			return "document"
		}
		return e.Field
	}
	b.WriteString("statement ")
	b.WriteString(strconv.Itoa(e.Statement))
	if e.Sid != "" {
		b.WriteString(" (Sid ")
		b.WriteString(strconv.Quote(e.Sid))
		b.WriteString(")")
	}
	if e.Field != "" {
		b.WriteString(", ")
		b.WriteString(e.Field)
	}
	return b.String()
}

// IAM's MalformedPolicyDocument messages.
const (
	msgSyntax          = "Syntax errors in policy."
	msgNoPrincipal     = "Policy document should not specify a principal."
	msgMissingPrinc    = "Missing required field Principal"
	msgProhibitedRes   = "Has prohibited field Resource"
	msgNoActions       = "Policy statement must contain actions."
	msgNoResources     = "Policy statement must contain resources."
	msgDupSid          = "Statement IDs (SID) in a single policy must be unique."
	msgSidAlnum        = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgVendor          = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon        = "Actions/Condition can contain only one colon."
	msgResourceVendor  = "Resource vendor must be fully qualified and cannot contain regexes."
	msgInvalidPrincip  = "Invalid principal in policy"
	msgEmptyStatements = "Policy document must contain at least one statement."
)

// Parse parses and validates a policy document of the given kind. Its errors are *[Error].
// It compiles the document for [Evaluate]: the returned Policy can be evaluated any number of
// times, concurrently.
func Parse(doc string, kind Kind) (*Policy, error) {
	if kind != Identity && kind != Resource && kind != Trust {
		return nil, &Error{Statement: -1, Message: msgSyntax, Detail: "unknown policy kind " + kind.String()}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &top); err != nil || top == nil {
		d := "not a JSON object"
		if err != nil {
			d = err.Error()
		}
		return nil, &Error{Statement: -1, Message: msgSyntax, Detail: d}
	}
	p := &Policy{}
	for _, k := range sortedKeys(top) {
		raw := top[k]
		switch k {
		case "Version":
			if err := json.Unmarshal(raw, &p.Version); err != nil {
				return nil, docErr("Version", msgSyntax, "Version must be a string, got "+short(raw))
			}
		case "Id":
			if err := json.Unmarshal(raw, &p.ID); err != nil {
				return nil, docErr("Id", msgSyntax, "Id must be a string, got "+short(raw))
			}
		case "Statement":
		default:
			return nil, docErr(k, msgSyntax, "unknown element "+strconv.Quote(k))
		}
	}
	switch p.Version {
	case Version2012:
		p.vars = true
	case Version2008, "":
	default:
		return nil, docErr("Version", msgSyntax, "Version must be "+Version2012+" or "+Version2008+", got "+strconv.Quote(p.Version))
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, docErr("Statement", msgSyntax, "missing Statement")
	}
	var raws []json.RawMessage
	switch firstByte(raw) {
	case '{':
		raws = []json.RawMessage{raw}
	case '[':
		if err := json.Unmarshal(raw, &raws); err != nil {
			return nil, docErr("Statement", msgSyntax, err.Error())
		}
	default:
		return nil, docErr("Statement", msgSyntax, "Statement must be an object or an array, got "+short(raw))
	}
	if len(raws) == 0 {
		return nil, docErr("Statement", msgEmptyStatements, "")
	}
	p.Statements = make([]Statement, len(raws))
	sids := make(map[string]bool, len(raws))
	for i, r := range raws {
		s := &p.Statements[i]
		if err := s.parse(r, i); err != nil {
			return nil, err
		}
		if err := s.validate(i, kind); err != nil {
			return nil, err
		}
		if s.Sid != "" {
			if sids[s.Sid] {
				return nil, &Error{Statement: i, Sid: s.Sid, Field: "Sid", Message: msgDupSid}
			}
			sids[s.Sid] = true
		}
	}
	for i := range p.Statements {
		p.Statements[i].compile(p.vars)
		p.readsContext = p.readsContext || p.Statements[i].c.readsContext()
	}
	return p, nil
}

// MustParse is like [Parse] but panics if the document is not valid. It is meant for
// documents written in the program, such as tests and examples.
func MustParse(doc string, kind Kind) *Policy {
	p, err := Parse(doc, kind)
	if err != nil {
		panic(err)
	}
	return p
}

func docErr(field, msg, detail string) *Error {
	return &Error{Statement: -1, Field: field, Message: msg, Detail: detail}
}

func firstByte(raw []byte) byte {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// short returns raw JSON shortened for an error message.
func short(raw []byte) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

func (s *Statement) parse(raw json.RawMessage, i int) error {
	if firstByte(raw) != '{' {
		return &Error{Statement: i, Message: msgSyntax, Detail: "a statement must be an object, got " + short(raw)}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return &Error{Statement: i, Message: msgSyntax, Detail: err.Error()}
	}
	// Sid first, so that later errors can name it.
	if r, ok := m["Sid"]; ok {
		if err := json.Unmarshal(r, &s.Sid); err != nil || firstByte(r) != '"' {
			return &Error{Statement: i, Field: "Sid", Message: msgSyntax, Detail: "Sid must be a string, got " + short(r)}
		}
	}
	errAt := func(field, msg, detail string) error {
		return &Error{Statement: i, Sid: s.Sid, Field: field, Message: msg, Detail: detail}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r := m[k]
		var err error
		switch k {
		case "Sid":
		case "Effect":
			var e string
			if json.Unmarshal(r, &e) != nil || firstByte(r) != '"' {
				return errAt(k, msgSyntax, "Effect must be a string, got "+short(r))
			}
			switch {
			case strings.EqualFold(e, "Allow"):
				s.Effect = "Allow"
			case strings.EqualFold(e, "Deny"):
				s.Effect = "Deny"
			default:
				return errAt(k, msgSyntax, "Effect must be Allow or Deny, got "+strconv.Quote(e))
			}
		case "Action":
			s.Action, err = stringList(r)
		case "NotAction":
			s.NotAction, err = stringList(r)
		case "Resource":
			s.Resource, err = stringList(r)
		case "NotResource":
			s.NotResource, err = stringList(r)
		case "Principal":
			s.Principal, err = parsePrincipals(r)
		case "NotPrincipal":
			s.NotPrincipal, err = parsePrincipals(r)
		case "Condition":
			s.Condition, err = parseCondition(r)
		default:
			return errAt(k, msgSyntax, "unknown element "+strconv.Quote(k))
		}
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Statement, e.Sid = i, s.Sid
				if e.Field == "" {
					e.Field = k
				}
				return e
			}
			return errAt(k, msgSyntax, err.Error())
		}
	}
	if s.Effect == "" {
		return errAt("Effect", msgSyntax, "missing Effect")
	}
	return nil
}

// stringList decodes a string or an array of strings.
func stringList(raw json.RawMessage) ([]string, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	case '[':
		var l []string
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, fmt.Errorf("want a string or an array of strings, got %s", short(raw))
		}
		if l == nil {
			l = []string{}
		}
		return l, nil
	}
	return nil, fmt.Errorf("want a string or an array of strings, got %s", short(raw))
}

func parsePrincipals(raw json.RawMessage) (*Principals, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if s != "*" {
			return nil, &Error{Message: msgInvalidPrincip, Detail: "a string Principal must be \"*\", got " + strconv.Quote(s)}
		}
		return &Principals{All: true}, nil
	case '{':
	default:
		return nil, fmt.Errorf("want \"*\" or an object, got %s", short(raw))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	p := &Principals{}
	for _, k := range sortedKeys(m) {
		r := m[k]
		l, err := stringList(r)
		if err != nil {
			return nil, err
		}
		switch k {
		case "AWS":
			p.AWS = l
		case "Service":
			p.Service = l
		case "Federated":
			p.Federated = l
		case "CanonicalUser":
			p.CanonicalUser = l
		default:
			return nil, &Error{Message: msgInvalidPrincip, Detail: "unknown principal type " + strconv.Quote(k)}
		}
		if len(l) == 0 {
			return nil, &Error{Message: msgInvalidPrincip, Detail: "empty list of " + k + " principals"}
		}
		for _, v := range l {
			if v == "" {
				return nil, &Error{Message: msgInvalidPrincip, Detail: "empty " + k + " principal"}
			}
		}
	}
	if len(m) == 0 {
		return nil, &Error{Message: msgInvalidPrincip, Detail: "empty Principal"}
	}
	return p, nil
}

// parseCondition decodes {"Operator": {"key": value-or-values}}. Values may be strings,
// numbers or booleans; they are kept as text.
func parseCondition(raw json.RawMessage) (map[string]map[string][]string, error) {
	if firstByte(raw) != '{' {
		return nil, fmt.Errorf("Condition must be an object, got %s", short(raw))
	}
	var ops map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return nil, err
	}
	out := make(map[string]map[string][]string, len(ops))
	for _, op := range sortedKeys(ops) {
		r := ops[op]
		if _, err := parseOperator(op); err != nil {
			return nil, err
		}
		if firstByte(r) != '{' {
			return nil, fmt.Errorf("condition %s must be an object, got %s", op, short(r))
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(r, &keys); err != nil {
			return nil, err
		}
		km := make(map[string][]string, len(keys))
		for _, k := range sortedKeys(keys) {
			vr := keys[k]
			if !strings.Contains(k, ":") {
				return nil, &Error{Message: msgVendor, Detail: "condition key " + strconv.Quote(k)}
			}
			vals, err := conditionValues(vr)
			if err != nil {
				return nil, fmt.Errorf("condition %s %s: %v", op, k, err)
			}
			km[k] = vals
		}
		out[op] = km
	}
	return out, nil
}

func conditionValues(raw json.RawMessage) ([]string, error) {
	scalar := func(r json.RawMessage) (string, error) {
		switch b := firstByte(r); {
		case b == '"':
			var s string
			err := json.Unmarshal(r, &s)
			return s, err
		case b == 't' || b == 'f':
			var v bool
			if err := json.Unmarshal(r, &v); err != nil {
				return "", err
			}
			return strconv.FormatBool(v), nil
		case b == '-' || (b >= '0' && b <= '9'):
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.UseNumber()
			if err := dec.Decode(&n); err != nil {
				return "", err
			}
			return n.String(), nil
		}
		return "", fmt.Errorf("want a string, number or boolean, got %s", short(r))
	}
	if firstByte(raw) == '[' {
		var l []json.RawMessage
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(l))
		for _, r := range l {
			s, err := scalar(r)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalar(raw)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func (s *Statement) validate(i int, kind Kind) error {
	errAt := func(field, msg, detail string) error {
		return &Error{Statement: i, Sid: s.Sid, Field: field, Message: msg, Detail: detail}
	}
	if kind != Resource && s.Sid != "" {
		// IAM checks Sids of the policies it stores; S3 accepts any text.
		for _, r := range s.Sid {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return errAt("Sid", msgSidAlnum, "Sid "+strconv.Quote(s.Sid))
			}
		}
	}
	if s.Action != nil && s.NotAction != nil {
		return errAt("NotAction", msgSyntax, "a statement cannot have both Action and NotAction")
	}
	if s.Resource != nil && s.NotResource != nil {
		return errAt("NotResource", msgSyntax, "a statement cannot have both Resource and NotResource")
	}
	if s.Principal != nil && s.NotPrincipal != nil {
		return errAt("NotPrincipal", msgSyntax, "a statement cannot have both Principal and NotPrincipal")
	}
	switch kind {
	case Identity:
		if s.Principal != nil {
			return errAt("Principal", msgNoPrincipal, "")
		}
		if s.NotPrincipal != nil {
			return errAt("NotPrincipal", msgNoPrincipal, "")
		}
	case Resource:
		if s.Principal == nil && s.NotPrincipal == nil {
			return errAt("Principal", msgMissingPrinc, "")
		}
	case Trust:
		if s.Principal == nil && s.NotPrincipal == nil {
			return errAt("Principal", msgMissingPrinc, "")
		}
		if s.Resource != nil {
			return errAt("Resource", msgProhibitedRes, "")
		}
		if s.NotResource != nil {
			return errAt("NotResource", "Has prohibited field NotResource", "")
		}
	}
	actions, field := s.Action, "Action"
	if s.NotAction != nil {
		actions, field = s.NotAction, "NotAction"
	}
	if len(actions) == 0 {
		return errAt("Action", msgNoActions, "")
	}
	for _, a := range actions {
		if a == "*" {
			continue
		}
		vendor, rest, ok := strings.Cut(a, ":")
		if !ok {
			return errAt(field, msgVendor, "action "+strconv.Quote(a))
		}
		if strings.Contains(rest, ":") {
			return errAt(field, msgOneColon, "action "+strconv.Quote(a))
		}
		if vendor == "" || strings.ContainsFunc(vendor, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.')
		}) {
			return errAt(field, "Vendor "+vendor+" is not valid", "action "+strconv.Quote(a))
		}
	}
	if kind != Trust {
		res, field := s.Resource, "Resource"
		if s.NotResource != nil {
			res, field = s.NotResource, "NotResource"
		}
		if len(res) == 0 {
			return errAt("Resource", msgNoResources, "")
		}
		for _, r := range res {
			if err := validateResource(r); err != "" {
				return errAt(field, err, "")
			}
		}
	}
	for _, pr := range []*Principals{s.Principal, s.NotPrincipal} {
		if pr == nil {
			continue
		}
		for _, a := range pr.AWS {
			if !validAWSPrincipal(a) {
				return errAt("Principal", msgInvalidPrincip, "AWS principal "+strconv.Quote(a))
			}
		}
	}
	return nil
}

// validateResource returns IAM's message for a malformed Resource entry, or "". IAM only
// checks the shape up to the service: "arn:aws:ec2:*" is accepted.
func validateResource(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return "Resource " + r + " must be in ARN format or \"*\"."
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if partition != "*" && !partitions[partition] {
		p := strings.Split(rest, ":")
		for len(p) < 4 {
			p = append(p, "*")
		}
		if p[0] == "" && len(strings.Split(rest, ":")) == 1 {
			p[0] = "*"
		}
		return "Partition \"" + partition + "\" is not valid for resource \"arn:" + partition + ":" +
			p[0] + ":" + p[1] + ":" + p[2] + ":" + strings.Join(p[3:], ":") + "\"."
	}
	if !ok {
		return msgResourceVendor
	}
	return ""
}

var partitions = map[string]bool{
	"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true,
	"aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true,
}

// validAWSPrincipal reports whether a is "*", a 12-digit account ID or an ARN.
func validAWSPrincipal(a string) bool {
	if a == "*" || isAccountID(a) {
		return true
	}
	parts := strings.SplitN(a, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] != ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MarshalJSON encodes the policy in a canonical form: Statement is always an array, a list of
// one value is a string, elements are in a fixed order. Parsing the output gives back an equal
// Policy.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if p.Version != "" {
		b.WriteString(`"Version":`)
		writeString(&b, p.Version)
		b.WriteByte(',')
	}
	if p.ID != "" {
		b.WriteString(`"Id":`)
		writeString(&b, p.ID)
		b.WriteByte(',')
	}
	b.WriteString(`"Statement":[`)
	for i := range p.Statements {
		if i > 0 {
			b.WriteByte(',')
		}
		p.Statements[i].marshal(&b)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// String returns the policy's canonical JSON.
func (p *Policy) String() string {
	b, _ := p.MarshalJSON()
	return string(b)
}

func (s *Statement) marshal(b *bytes.Buffer) {
	b.WriteByte('{')
	if s.Sid != "" {
		b.WriteString(`"Sid":`)
		writeString(b, s.Sid)
		b.WriteByte(',')
	}
	b.WriteString(`"Effect":`)
	writeString(b, s.Effect)
	writePrincipals(b, "Principal", s.Principal)
	writePrincipals(b, "NotPrincipal", s.NotPrincipal)
	writeList(b, "Action", s.Action)
	writeList(b, "NotAction", s.NotAction)
	writeList(b, "Resource", s.Resource)
	writeList(b, "NotResource", s.NotResource)
	if s.Condition != nil {
		b.WriteString(`,"Condition":{`)
		for i, op := range sortedKeys(s.Condition) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, op)
			b.WriteString(":{")
			keys := s.Condition[op]
			for j, k := range sortedKeys(keys) {
				if j > 0 {
					b.WriteByte(',')
				}
				writeString(b, k)
				b.WriteByte(':')
				writeValues(b, keys[k])
			}
			b.WriteByte('}')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

func writePrincipals(b *bytes.Buffer, name string, p *Principals) {
	if p == nil {
		return
	}
	b.WriteString(`,"` + name + `":`)
	if p.All {
		b.WriteString(`"*"`)
		return
	}
	b.WriteByte('{')
	first := true
	for _, e := range []struct {
		k string
		v []string
	}{{"AWS", p.AWS}, {"CanonicalUser", p.CanonicalUser}, {"Federated", p.Federated}, {"Service", p.Service}} {
		if e.v == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, e.k)
		b.WriteByte(':')
		writeValues(b, e.v)
	}
	b.WriteByte('}')
}

func writeList(b *bytes.Buffer, name string, l []string) {
	if l == nil {
		return
	}
	b.WriteString(`,"` + name + `":`)
	writeValues(b, l)
}

func writeValues(b *bytes.Buffer, l []string) {
	if len(l) == 1 {
		writeString(b, l[0])
		return
	}
	b.WriteByte('[')
	for i, v := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, v)
	}
	b.WriteByte(']')
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
