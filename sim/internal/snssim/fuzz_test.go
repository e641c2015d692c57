package snssim

import (
	"encoding/json"
	"testing"
)

// The filter policy parser never panics, and a policy it takes matches deterministically:
// the same message, matched twice, gives the same answer.
func FuzzFilterPolicy(f *testing.F) {
	for _, seed := range []string{
		`{"a":["x"]}`, `{"a":[{"prefix":"x"}]}`, `{"a":[{"anything-but":["x","y"]}]}`,
		`{"a":[{"anything-but":{"prefix":"x"}}]}`, `{"a":[{"numeric":[">=",0,"<",10]}]}`,
		`{"a":[{"exists":false}]}`, `{"a":[{"suffix":".png"}],"b":[null,true,1.5]}`,
		`{"$or":[{"a":["x"]},{"b":["y"]}]}`, `{"a":{"b":["x"]}}`, `{"a":[{"equals-ignore-case":"X"}]}`,
		`[]`, `{"a":"x"}`, `{"a":[{"numeric":["<"]}]}`, `{"a":[{"cidr":"10.0.0.0/8"}]}`,
	} {
		f.Add(seed, "MessageAttributes", `{"a":"x","b":1}`)
		f.Add(seed, "MessageBody", `{"a":{"b":"x"}}`)
	}
	f.Fuzz(func(t *testing.T, policy, scope, body string) {
		p, err := ParseFilterPolicy(policy, scope)
		if err != nil {
			return
		}
		attrs := map[string]Attribute{}
		var obj map[string]any
		if json.Unmarshal([]byte(body), &obj) == nil {
			for k, v := range obj {
				b, _ := json.Marshal(v)
				switch v := v.(type) {
				case string:
					attrs[k] = Attribute{Type: "String", Value: v}
				case float64:
					attrs[k] = Attribute{Type: "Number", Value: string(b)}
				case []any:
					attrs[k] = Attribute{Type: "String.Array", Value: string(b)}
				}
			}
		}
		if p.Match(attrs, body) != p.Match(attrs, body) {
			t.Fatalf("policy %s matched %s two ways", policy, body)
		}
	})
}

func TestFilterPolicyMatch(t *testing.T) {
	attrs := func(kv ...string) map[string]Attribute {
		m := map[string]Attribute{}
		for i := 0; i < len(kv); i += 3 {
			m[kv[i]] = Attribute{Type: kv[i+1], Value: kv[i+2]}
		}
		return m
	}
	cases := []struct {
		name, policy string
		attrs        map[string]Attribute
		want         bool
	}{
		{"exact", `{"s":["high"]}`, attrs("s", "String", "high"), true},
		{"exact miss", `{"s":["high"]}`, attrs("s", "String", "low"), false},
		{"absent", `{"s":["high"]}`, attrs(), false},
		{"prefix", `{"s":[{"prefix":"cri"}]}`, attrs("s", "String", "critical"), true},
		{"suffix", `{"f":[{"suffix":".png"}]}`, attrs("f", "String", "a.jpg"), false},
		{"anything-but", `{"s":[{"anything-but":["low"]}]}`, attrs("s", "String", "high"), true},
		{"anything-but hit", `{"s":[{"anything-but":"low"}]}`, attrs("s", "String", "low"), false},
		{"anything-but absent", `{"s":[{"anything-but":"low"}]}`, attrs(), false},
		{"anything-but prefix", `{"s":[{"anything-but":{"prefix":"l"}}]}`, attrs("s", "String", "low"), false},
		{"numeric range", `{"n":[{"numeric":[">",0,"<=",10]}]}`, attrs("n", "Number", "10"), true},
		{"numeric out", `{"n":[{"numeric":[">",0,"<=",10]}]}`, attrs("n", "Number", "11"), false},
		{"numeric exact", `{"n":[5]}`, attrs("n", "Number", "5.0"), true},
		{"numeric on string", `{"n":[{"numeric":["=",5]}]}`, attrs("n", "String", "5"), false},
		{"exists false", `{"x":[{"exists":false}]}`, attrs("s", "String", "a"), true},
		{"exists true", `{"x":[{"exists":true}]}`, attrs("x", "String", "a"), true},
		{"array", `{"c":["blue"]}`, attrs("c", "String.Array", `["red","blue"]`), true},
		{"ignore case", `{"s":[{"equals-ignore-case":"HIGH"}]}`, attrs("s", "String", "High"), true},
		{"and", `{"s":["high"],"t":["db"]}`, attrs("s", "String", "high", "t", "String", "web"), false},
		{"or", `{"$or":[{"s":["high"]},{"t":["db"]}]}`, attrs("t", "String", "db"), true},
		{"binary", `{"b":["x"]}`, attrs("b", "Binary", "x"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseFilterPolicy(tc.policy, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := p.MatchAttributes(tc.attrs); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
	body, err := ParseFilterPolicy(`{"alarm":{"state":["ALARM"]}}`, "MessageBody")
	if err != nil {
		t.Fatal(err)
	}
	if !body.MatchBody(`{"alarm":{"state":"ALARM"}}`) || body.MatchBody(`{"alarm":{"state":"OK"}}`) || body.MatchBody("not json") {
		t.Error("MessageBody scope")
	}
	for _, bad := range []string{`[]`, `{"a":"x"}`, `{"a":[]}`, `{"a":{"b":["x"]}}`, `{"a":[{"numeric":["<"]}]}`,
		`{"a":[{"numeric":["<",5,">",1]}]}`, `{"a":[{"numeric":[">",5,"<",1]}]}`, `{"a":[{"bogus":1}]}`, `{"a":[{"exists":"yes"}]}`,
		`{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}`, `{"a":[[1]]}`, `{"a":[1e10]}`} {
		if _, err := ParseFilterPolicy(bad, ""); err == nil {
			t.Errorf("%s: taken", bad)
		}
	}
}
