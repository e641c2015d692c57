package configure

import (
	"strings"

	"gopkg.in/ini.v1"
)

// value is one setting as the AWS CLI reads it: a string, or a map of nested values
// ("s3 =" followed by indented lines).
type value struct {
	s      string
	nested map[string]string // non-nil for a nested value
}

type settings map[string]value

// config is the merged view the AWS CLI reads: the config file's profiles, with the
// credentials file's sections merged over them, and the config file's other sections.
type config struct {
	profiles map[string]settings
	sections map[string]settings // config sections that are not profiles ([plugins], [preview])
	// configProfiles are the profiles of the config file alone, for credentials found there.
	configProfiles map[string]settings
	credentials    map[string]settings
}

func readSettings(s *ini.Section) settings {
	out := settings{}
	for _, k := range s.Keys() {
		nv := k.NestedValues()
		if len(nv) == 0 {
			out[k.Name()] = value{s: k.Value()}
			continue
		}
		v := value{nested: map[string]string{}}
		for _, line := range nv {
			if name, val, ok := strings.Cut(line, "="); ok {
				v.nested[strings.TrimSpace(name)] = strings.TrimSpace(val)
			}
		}
		out[k.Name()] = v
	}
	return out
}

// profileOfSection returns the profile a config file section defines: "default" for
// [default], name for [profile name] (the name may be shell-quoted).
func profileOfSection(section string) (string, bool) {
	if section == "default" {
		return "default", true
	}
	if !strings.HasPrefix(section, "profile") {
		return "", false
	}
	parts, ok := shellSplit(section)
	if !ok || len(parts) != 2 {
		return "", false
	}
	return parts[1], true
}

func newConfig(cfg, creds *iniFile) *config {
	c := &config{
		profiles:       map[string]settings{},
		sections:       map[string]settings{},
		configProfiles: map[string]settings{},
		credentials:    map[string]settings{},
	}
	for _, s := range cfg.f.Sections() {
		name := s.Name()
		if name == ini.DefaultSection || name == endSection {
			continue
		}
		if p, ok := profileOfSection(name); ok {
			c.configProfiles[p] = readSettings(s)
			c.profiles[p] = readSettings(s)
		} else {
			c.sections[name] = readSettings(s)
		}
	}
	for _, s := range creds.f.Sections() {
		name := s.Name()
		if name == ini.DefaultSection || name == endSection {
			continue
		}
		c.credentials[name] = readSettings(s)
		p := c.profiles[name]
		if p == nil {
			p = settings{}
			c.profiles[name] = p
		}
		for k, v := range readSettings(s) {
			p[k] = v
		}
	}
	return c
}

// scoped returns the settings of profile as the AWS CLI's get_scoped_config does: with no
// profile named, the default profile's or none; a named profile must exist.
func (c *config) scoped(profile string) (settings, error) {
	if profile == "" {
		return c.profiles["default"], nil
	}
	s, ok := c.profiles[profile]
	if !ok {
		return nil, &ProfileNotFoundError{Profile: profile}
	}
	return s, nil
}

// sectionName is the config file section of a profile: [default] or [profile name], the
// name quoted as a shell word if it holds blanks.
func sectionName(profile string) string {
	if profile == "default" {
		return profile
	}
	if strings.ContainsAny(profile, " \t") {
		profile = "'" + strings.ReplaceAll(profile, "'", `'"'"'`) + "'"
	}
	return "profile " + profile
}

// shellSplit splits s into words as a POSIX shell would (Python's shlex.split, which the AWS
// CLI uses for section names): blanks separate words, quotes group, backslash escapes.
func shellSplit(s string) ([]string, bool) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case ch == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, false
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case ch == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`\"$`+"`", s[i+1]) >= 0 {
					i++
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			inWord = true
		case ch == '\\':
			if i+1 >= len(s) {
				return nil, false
			}
			i++
			w.WriteByte(s[i])
			inWord = true
		default:
			w.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, true
}
