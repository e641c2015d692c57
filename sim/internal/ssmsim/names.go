package ssmsim

import (
	"strconv"
	"strings"
)

// Limits of parameter names and labels.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
const (
	maxNameLength  = 2048 // the API's constraint
	maxARNAndName  = 1011 // "arn:aws:ssm:us-east-2:111122223333:parameter/" and the name
	maxLevels      = 15
	maxLabelLength = 100
	maxLabels      = 10 // per version
)

// ref is a parameter as a request names it: "name", "name:version", "name:label", or the
// same with the parameter's ARN in place of its name.
type ref struct {
	Name     string // the name, with a leading slash when it came from an ARN
	Selector string // ":3" or ":label" as the answer echoes it; "" for the latest version
	Version  int64  // the selected version, when Selector is one and Label is ""
	Label    string // the selected label, or ""
	ARN      bool   // the request gave an ARN
	Region   string // an ARN's region
	Account  string // an ARN's account; "" for AWS's public parameters
}

// trimName removes the spaces around a name, as Parameter Store does before it looks at it.
func trimName(name string) string { return strings.Trim(name, " ") }

// parseRef reads a parameter reference. It checks the shape of the name ([checkName]) but
// not whether the parameter exists.
func parseRef(s string) (ref, error) {
	s = trimName(s)
	var r ref
	if rest, ok := strings.CutPrefix(s, "arn:"); ok {
		// arn:aws:ssm:REGION:ACCOUNT:parameter/NAME[:SELECTOR]
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) != 5 || parts[0] != "aws" || parts[1] != "ssm" || parts[2] == "" {
			return ref{}, errorf(ValidationException, msgNameFormat)
		}
		name, ok := strings.CutPrefix(parts[4], "parameter/")
		if !ok || name == "" {
			return ref{}, errorf(ValidationException, msgNameFormat)
		}
		r.ARN, r.Region, r.Account = true, parts[2], parts[3]
		s = "/" + name
	}
	name, sel, hasSel := strings.Cut(s, ":")
	if err := checkName(name); err != nil {
		return ref{}, err
	}
	r.Name = name
	if hasSel {
		if sel == "" || strings.Contains(sel, ":") {
			return ref{}, errorf(ValidationException, msgNameFormat)
		}
		r.Selector = ":" + sel
		if isDigits(sel) {
			n, err := strconv.ParseInt(sel, 10, 64)
			if err != nil {
				n = -1 // past int64: no parameter has that version
			}
			r.Version = n
		} else {
			r.Label = sel
		}
	}
	return r, nil
}

// String writes the reference back as a request would name it.
func (r ref) String() string {
	if r.ARN {
		return "arn:aws:ssm:" + r.Region + ":" + r.Account + ":parameter/" + strings.TrimPrefix(r.Name, "/") + r.Selector
	}
	return r.Name + r.Selector
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// nameChar reports whether c may appear in a parameter name: a-zA-Z0-9_.- and the slash.
func nameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '/'
}

// checkName checks the shape of a parameter name: its length, its characters, and that a
// hierarchical name starts with a slash and has no empty level, at most 15 levels deep.
func checkName(name string) error {
	if len(name) == 0 || len(name) > maxNameLength {
		// The model counts characters; a name of more bytes than that may still be short
		// enough, and is then checked as any other.
		var v validation
		v.length("name", name, 1, maxNameLength)
		if err := v.err(); err != nil {
			return err
		}
	}
	for i := range len(name) {
		if !nameChar(name[i]) {
			return errorf(ValidationException, msgNameFormat)
		}
	}
	if strings.Contains(name, "/") {
		if name[0] != '/' || strings.HasSuffix(name, "/") || strings.Contains(name, "//") {
			return errorf(ValidationException, msgNameFormat)
		}
	}
	if levels(name) > maxLevels {
		return errorf(HierarchyLevelLimitExceededException, "A hierarchy can have a maximum of %d levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.", maxLevels)
	}
	return nil
}

// levels counts the levels of a name: /a/b/c has three, c one.
func levels(name string) int {
	return strings.Count(strings.TrimPrefix(name, "/"), "/") + 1
}

// key is the name a parameter is stored under. A one-level name is the same parameter with or
// without its leading slash (both have the ARN …:parameter/NAME); a hierarchical name is
// itself, case and all.
func key(name string) string {
	if rest, ok := strings.CutPrefix(name, "/"); ok && !strings.Contains(rest, "/") {
		return rest
	}
	return name
}

// firstLevel returns the first level of a name, lower-cased: "aws" for /AWS/service/x.
func firstLevel(name string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(name, "/"), "/")
	return strings.ToLower(first)
}

// isPublicNamespace reports whether name is in AWS's own namespace, /aws/…: the public
// parameters live there, and an account can write nothing there.
func isPublicNamespace(name string) bool {
	return strings.HasPrefix(name, "/") && strings.Contains(name[1:], "/") && firstLevel(name) == "aws"
}

// checkReserved refuses the names an account cannot create: those beginning with "aws" or
// "ssm" in any case. A hierarchy under /aws… is AWS's own and refused as a matter of access
// ("No access to reserved parameter name: awssec/lab01/vpc_id.", without the leading slash,
// as Terraform's logs quote it); the others are malformed names.
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
func checkReserved(name string) error {
	first := firstLevel(name)
	hierarchy := strings.HasPrefix(name, "/") && strings.Contains(name[1:], "/")
	switch {
	case strings.HasPrefix(first, "aws") && hierarchy:
		return errorf(AccessDeniedException, "No access to reserved parameter name: %s.", strings.TrimPrefix(name, "/"))
	case strings.HasPrefix(first, "ssm") && hierarchy:
		return errorf(ValidationException, msgNameFormat)
	case strings.HasPrefix(first, "aws"), strings.HasPrefix(first, "ssm"):
		return errorf(ValidationException, msgNamePrefix)
	}
	return nil
}

// checkStorable checks what PutParameter asks of a name beyond its shape: that it is not
// reserved, and that with its ARN's prefix it fits in 1,011 characters.
func (s *Store) checkStorable(region, name string) error {
	if err := checkReserved(name); err != nil {
		return err
	}
	if n := len(parameterARN(region, s.account, name)); n > maxARNAndName {
		// The documented limit; AWS's message for it is not quoted anywhere we could find.
		return errorf(ValidationException, "Parameter name: %s is too long: with its ARN's prefix, a name can have at most %d characters.", name, maxARNAndName)
	}
	return nil
}

// checkPath checks a path of GetParametersByPath or of a Path filter: a slash, then levels of
// name characters; a trailing slash is allowed. It returns the path without it.
func checkPath(path string) (string, error) {
	path = trimName(path)
	if path == "" || path[0] != '/' || strings.Contains(path, "//") {
		return "", errorf(ValidationException, msgPathFormat)
	}
	for i := range len(path) {
		if !nameChar(path[i]) {
			return "", errorf(ValidationException, msgPathFormat)
		}
	}
	if path != "/" {
		path = strings.TrimSuffix(path, "/")
	}
	return path, nil
}

// validLabel reports whether a label may be attached: 1 to 100 letters, digits, periods,
// hyphens and underscores, not beginning with a digit, "aws" or "ssm" (in any case).
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html
func validLabel(label string) bool {
	if label == "" || len(label) > maxLabelLength || '0' <= label[0] && label[0] <= '9' {
		return false
	}
	lower := strings.ToLower(label)
	if strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") {
		return false
	}
	for i := range len(label) {
		if c := label[i]; c == '/' || !nameChar(c) {
			return false
		}
	}
	return true
}

// ownRef reports whether an ARN in a request names a parameter of this account and region;
// shared parameters of other accounts are not simulated, and are not found.
func (s *Store) ownRef(r ref, region string) bool {
	return !r.ARN || r.Region == region && r.Account == s.account
}
