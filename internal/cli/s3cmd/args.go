package s3cmd

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/awsxlab/awsx/s3x"
)

// The s3 commands' arguments are read as argparse reads the AWS CLI's argument tables
// (awscli/customizations/s3/subcommands.py): positionals with a count, options with none,
// one, an optional one or several values, --exclude and --include kept in order.

// nargs is how many words an argument takes.
type nargs int

const (
	nargsFlag     nargs = iota // no word: store_true / store_false
	nargsOne                   // one word
	nargsOptional              // one word if one follows, else the const
	nargsMany                  // one or more words
	nargsAppend                // one word, each use appended (--exclude, --include)
)

// An argSpec is one argument of a command.
type argSpec struct {
	name    string // "recursive"; for a positional, its dest ("paths")
	nargs   nargs
	choices []string
	konst   string // nargsOptional's value when no word follows
	help    string
}

// The arguments, as the AWS CLI declares them.
var (
	argRecursive     = argSpec{name: "recursive", help: "Command is performed on all files or objects under the specified directory or prefix."}
	argHumanReadable = argSpec{name: "human-readable", help: "Displays file sizes in human readable format."}
	argSummarize     = argSpec{name: "summarize", help: "Displays summary information (number of objects, total size)."}
	argDryrun        = argSpec{name: "dryrun", help: "Displays the operations that would be performed using the specified command without actually running them."}
	argQuiet         = argSpec{name: "quiet", help: "Does not display the operations performed from the specified command."}
	argForce         = argSpec{name: "force", help: "Deletes all objects in the bucket including the bucket itself."}
	argFollow        = argSpec{name: "follow-symlinks", help: "Symbolic links are followed only when uploading to S3 from the local filesystem."}
	argNoFollow      = argSpec{name: "no-follow-symlinks", help: "Symbolic links are not followed."}
	argNoGuessMime   = argSpec{name: "no-guess-mime-type", help: "Do not try to guess the mime type for uploaded files."}
	argContentType   = argSpec{name: "content-type", nargs: nargsOne, help: "Specify an explicit content type for this operation."}
	argExclude       = argSpec{name: "exclude", nargs: nargsAppend, help: "Exclude all files or objects from the command that matches the specified pattern."}
	argInclude       = argSpec{name: "include", nargs: nargsAppend, help: "Don't exclude files or objects in the command that match the specified pattern."}
	argACL           = argSpec{name: "acl", nargs: nargsOne, choices: []string{"private", "public-read", "public-read-write",
		"authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"},
		help: "Sets the ACL for the object when the command is performed."}
	argGrants   = argSpec{name: "grants", nargs: nargsMany, help: "Grant specific permissions to individual users or groups: Permission=Grantee_Type=Grantee_ID."}
	argSSE      = argSpec{name: "sse", nargs: nargsOptional, konst: "AES256", choices: []string{"AES256", "aws:kms"}, help: "Specifies server-side encryption of the object in S3."}
	argSSEC     = argSpec{name: "sse-c", nargs: nargsOptional, konst: "AES256", choices: []string{"AES256"}, help: "Specifies server-side encryption using customer provided keys of the the object in S3."}
	argSSECKey  = argSpec{name: "sse-c-key", nargs: nargsOne, help: "The customer-provided encryption key to use to server-side encrypt the object in S3."}
	argKMSKey   = argSpec{name: "sse-kms-key-id", nargs: nargsOne, help: "The customer-managed AWS Key Management Service (KMS) key ID that should be used to server-side encrypt the object in S3."}
	argSSECSrc  = argSpec{name: "sse-c-copy-source", nargs: nargsOptional, konst: "AES256", choices: []string{"AES256"}, help: "The algorithm to decrypt an S3 source object encrypted with a customer-provided key."}
	argSSECSrcK = argSpec{name: "sse-c-copy-source-key", nargs: nargsOne, help: "The customer-provided key to decrypt the source object."}
	argStorage  = argSpec{name: "storage-class", nargs: nargsOne, choices: []string{"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
		"ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"}, help: "The type of storage to use for the object."}
	argRedirect     = argSpec{name: "website-redirect", nargs: nargsOne, help: "Redirects requests for this object to another object in the same bucket or to an external URL."}
	argCache        = argSpec{name: "cache-control", nargs: nargsOne, help: "Specifies caching behavior along the request/reply chain."}
	argDisposition  = argSpec{name: "content-disposition", nargs: nargsOne, help: "Specifies presentational information for the object."}
	argEncoding     = argSpec{name: "content-encoding", nargs: nargsOne, help: "Specifies what content encodings have been applied to the object."}
	argLanguage     = argSpec{name: "content-language", nargs: nargsOne, help: "The language the content is in."}
	argExpires      = argSpec{name: "expires", nargs: nargsOne, help: "The date and time at which the object is no longer cacheable."}
	argSourceRegion = argSpec{name: "source-region", nargs: nargsOne, help: "The region of the source bucket of an S3 to S3 transfer."}
	argOnlyErrors   = argSpec{name: "only-show-errors", help: "Only errors and warnings are displayed. All other output is suppressed."}
	argNoProgress   = argSpec{name: "no-progress", help: "File transfer progress is not displayed."}
	argPageSize     = argSpec{name: "page-size", nargs: nargsOne, help: "The number of results to return in each response to a list operation."}
	argIgnoreGlac   = argSpec{name: "ignore-glacier-warnings", help: "Turns off glacier warnings."}
	argForceGlac    = argSpec{name: "force-glacier-transfer", help: "Forces a transfer request on all Glacier objects in a sync or recursive copy."}
	argPayer        = argSpec{name: "request-payer", nargs: nargsOptional, konst: "requester", choices: []string{"requester"}, help: "Confirms that the requester knows that they will be charged for the request."}
	argMetadata     = argSpec{name: "metadata", nargs: nargsOne, help: "A map of metadata to store with the objects in S3: key=value,… or JSON."}
	argCopyProps    = argSpec{name: "copy-props", nargs: nargsOne, choices: []string{"none", "metadata-directive", "default"}, help: "Determines which properties are copied from the source S3 object."}
	argDirective    = argSpec{name: "metadata-directive", nargs: nargsOne, choices: []string{"COPY", "REPLACE"}, help: "Sets the x-amz-metadata-directive header for CopyObject operations."}
	argExpectedSize = argSpec{name: "expected-size", nargs: nargsOne, help: "The expected size of a stream in bytes."}
	argIndex        = argSpec{name: "index-document", nargs: nargsOne, help: "A suffix that is appended to a request that is for a directory on the website endpoint."}
	argErrorDoc     = argSpec{name: "error-document", nargs: nargsOne, help: "The object key name to use when a 4XX class error occurs."}
	argExpiresIn    = argSpec{name: "expires-in", nargs: nargsOne, help: "Number of seconds until the pre-signed URL expires. Default is 3600 seconds. Maximum is 604800 seconds."}
	argSizeOnly     = argSpec{name: "size-only", help: "Makes the size of each key the only criteria used to decide whether to sync from source to destination."}
	argExact        = argSpec{name: "exact-timestamps", help: "When syncing from S3 to local, same-sized items will be ignored only when the timestamps match exactly."}
	argDelete       = argSpec{name: "delete", help: "Files that exist in the destination but not in the source are deleted during sync."}
)

var transferArgs = []argSpec{argDryrun, argQuiet, argInclude, argExclude, argACL, argFollow, argNoFollow, argNoGuessMime,
	argSSE, argSSEC, argSSECKey, argKMSKey, argSSECSrc, argSSECSrcK, argStorage, argGrants, argRedirect, argContentType,
	argCache, argDisposition, argEncoding, argLanguage, argExpires, argSourceRegion, argOnlyErrors, argNoProgress,
	argPageSize, argIgnoreGlac, argForceGlac, argPayer}

// positional is a command's positional argument: its dest and how many words it takes:
// 1 or 2, or 0 for "one, or none and then def".
type positional struct {
	dest, synopsis string
	count          int
	def            string
}

// args are a command line read against a command's table.
type args struct {
	values  map[string][]string // options given, by name: their words
	filters []s3x.Rule
	paths   []string
	unknown []string
}

func (a *args) has(name string) bool { _, ok := a.values[name]; return ok }

func (a *args) get(name string) string {
	if v := a.values[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

// A UsageError is an argument error as argparse words it; the awsx command prints it after
// the AWS CLI's usage lines, with "aws: error: " in front.
type UsageError struct{ Message string }

func (e *UsageError) Error() string { return e.Message }

// A ChoiceError is a value outside an option's choices; the awsx command prints it as the
// AWS CLI's argument parser does.
type ChoiceError struct {
	Option, Value string
	Choices       []string
}

func (e *ChoiceError) Error() string {
	return fmt.Sprintf("argument %s: invalid choice: '%s'", e.Option, e.Value)
}

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// parseArgs reads words against the command's options and positional, as argparse's
// parse_known_args does: positionals are taken from a run of words between options when
// the run has enough of them, words no argument takes are unknown.
func parseArgs(specs []argSpec, pos positional, words []string) (*args, error) {
	byName := map[string]argSpec{}
	for _, s := range specs {
		byName[s.name] = s
	}
	a := &args{values: map[string][]string{}}
	// Classify the words: 'O' an option, 'A' an argument; "--" ends the options.
	kinds := make([]byte, len(words))
	rest := false
	for i, w := range words {
		switch {
		case rest:
			kinds[i] = 'A'
		case w == "--":
			kinds[i], rest = '-', true
		case len(w) > 1 && w[0] == '-' && !negativeNumber.MatchString(w) && !(strings.Contains(w, " ") && !isKnown(byName, w)):
			kinds[i] = 'O'
		default:
			kinds[i] = 'A'
		}
	}
	posDone := false
	takePositionals := func(i int) int {
		if posDone {
			return i
		}
		run := 0
		for i+run < len(words) && kinds[i+run] != 'O' {
			if kinds[i+run] == 'A' {
				run++
			} else {
				run++ // "--" is skipped by argparse's patterns
			}
		}
		var got []string
		for _, w := range words[i : i+run] {
			if w != "--" {
				got = append(got, w)
			}
		}
		switch {
		case pos.count == 0:
			posDone = true
			if len(got) > 0 {
				a.paths = []string{got[0]}
				return i + indexOfNth(words[i:], 1) + 1
			}
			a.paths = []string{pos.def}
			return i
		case len(got) >= pos.count:
			posDone = true
			a.paths = got[:pos.count]
			return i + indexOfNth(words[i:], pos.count) + 1
		}
		return i
	}
	for i := 0; i < len(words); {
		if kinds[i] != 'O' {
			j := takePositionals(i)
			if j == i {
				if words[i] != "--" {
					a.unknown = append(a.unknown, words[i])
				}
				j = i + 1
			}
			i = j
			continue
		}
		w := words[i]
		name, value, inline := strings.Cut(strings.TrimLeft(w, "-"), "=")
		spec, ok := byName[name]
		if !ok || !strings.HasPrefix(w, "--") {
			a.unknown = append(a.unknown, w)
			i++
			continue
		}
		i++
		option := "--" + name
		var vals []string
		switch spec.nargs {
		case nargsFlag:
			if inline {
				return nil, &UsageError{fmt.Sprintf("argument %s: ignored explicit argument '%s'", option, value)}
			}
		case nargsOne, nargsAppend:
			switch {
			case inline:
				vals = []string{value}
			case i < len(words) && kinds[i] == 'A':
				vals = []string{words[i]}
				i++
			case spec.nargs == nargsAppend:
				return nil, &UsageError{fmt.Sprintf("argument %s: expected 1 argument", option)}
			default:
				return nil, &UsageError{fmt.Sprintf("argument %s: expected one argument", option)}
			}
		case nargsOptional:
			switch {
			case inline:
				vals = []string{value}
			case i < len(words) && kinds[i] == 'A':
				vals = []string{words[i]}
				i++
			default:
				vals = []string{spec.konst}
			}
		case nargsMany:
			if inline {
				vals = []string{value}
			}
			for i < len(words) && kinds[i] == 'A' {
				vals = append(vals, words[i])
				i++
			}
			if len(vals) == 0 {
				return nil, &UsageError{fmt.Sprintf("argument %s: expected at least one argument", option)}
			}
		}
		for _, v := range vals {
			if len(spec.choices) > 0 && !contains(spec.choices, v) {
				return nil, &ChoiceError{Option: option, Value: v, Choices: spec.choices}
			}
		}
		if spec.nargs == nargsAppend {
			a.filters = append(a.filters, s3x.Rule{Include: name == "include", Pattern: vals[0]})
		}
		a.values[name] = append(a.values[name], vals...)
		if spec.nargs == nargsFlag {
			a.values[name] = append(a.values[name], "true")
		}
	}
	if !posDone {
		takePositionals(len(words))
	}
	if !posDone {
		return nil, &UsageError{"the following arguments are required: " + pos.dest}
	}
	return a, nil
}

func isKnown(byName map[string]argSpec, w string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
	_, ok := byName[name]
	return ok
}

// indexOfNth is the index of the nth word of ws that is not "--".
func indexOfNth(ws []string, n int) int {
	for i, w := range ws {
		if w != "--" {
			n--
			if n == 0 {
				return i
			}
		}
	}
	return len(ws) - 1
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
