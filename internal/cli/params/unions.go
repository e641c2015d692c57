package params

import (
	"reflect"
	"sort"
	"strings"

	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// unionMembers are the tagged unions of SDK inputs that awsx takes as structures, in
// shorthand or JSON as the AWS CLI does: each union interface with its members by botocore
// name, each member a struct whose Value field holds the member's value. Go's reflection
// cannot find the types that implement an interface, so they are listed here; a union not
// listed is a Document (JSON only, and refused when converted).
var unionMembers = map[reflect.Type]map[string]reflect.Type{
	reflect.TypeFor[s3types.ObjectEncryption](): {
		"SSEKMS": reflect.TypeFor[s3types.ObjectEncryptionMemberSSEKMS](),
	},
}

func isUnion(t reflect.Type) bool {
	_, ok := unionMembers[t]
	return ok
}

// union converts v, an object with exactly one key, to the member of union t it names, as
// botocore's validator checks a tagged union.
func (c *converter) union(t reflect.Type, v any, name string) (reflect.Value, bool) {
	obj, ok := v.(*object)
	if !ok {
		c.invalidType(orRoot(name), v, "<class 'dict'>")
		return reflect.Value{}, false
	}
	members := unionMembers[t]
	names := make([]string, 0, len(members))
	for n := range members {
		names = append(names, n)
	}
	sort.Strings(names)
	switch len(obj.keys) {
	case 0:
		// botocore's message, its missing space kept (validate.py).
		c.report("Must set one of the following keys for tagged unionstructure %s: %s.", orRoot(name), strings.Join(names, ", "))
		return reflect.Value{}, false
	case 1:
	default:
		c.report("Invalid number of parameters set for tagged union structure %s. Can only set one of the following keys: %s.", orRoot(name), strings.Join(names, ", "))
		return reflect.Value{}, false
	}
	k := obj.keys[0]
	m, ok := members[k]
	if !ok {
		c.report("Unknown parameter in %s: %q, must be one of: %s", orRoot(name), k, strings.Join(names, ", "))
		return reflect.Value{}, false
	}
	f, _ := m.FieldByName("Value")
	fv, ok := c.value(f.Type, obj.vals[k], name+"."+k)
	if !ok {
		return reflect.Value{}, false
	}
	out := reflect.New(m)
	out.Elem().FieldByIndex(f.Index).Set(fv)
	return out, true
}
