package params

import "fmt"

// ErrorForm says how the AWS CLI words an error and which exit code it gives it.
type ErrorForm int

const (
	// ParseError is the AWS CLI's ParamError, exit code 252:
	// "Error parsing parameter '--filters': Expected: '=', received: 'EOF' for input: …".
	ParseError ErrorForm = iota
	// ValidationError is botocore's parameter validation, exit code 252:
	// "Parameter validation failed:\nUnknown parameter in Filters[0]: …".
	ValidationError
	// ValueError is a conversion the AWS CLI does not catch, so it prints the bare message and
	// exits 255: "invalid literal for int() with base 10: 'abc'", `Invalid base64: "abc"`.
	ValueError
	// ArgumentError is the command line's shape (argparse), exit code 252: a missing word
	// ("argument --image-id: expected one argument") or extra words ("Unknown options: a, b").
	// Message is the whole text; the AWS CLI prints its usage lines before it.
	ArgumentError
)

// UsageError is a parameter the AWS CLI would reject before sending a request.
type UsageError struct {
	Param   string    // the flag without dashes ("filters"); "" for --cli-input-json
	Message string    // the detail, as the AWS CLI words it
	Form    ErrorForm // how Error words it
}

// Error returns the message as the AWS CLI prints it (without the blank line v2 prints before).
func (e *UsageError) Error() string {
	switch e.Form {
	case ValidationError:
		return "Parameter validation failed:\n" + e.Message
	case ValueError, ArgumentError:
		return e.Message
	}
	if e.Param == "" {
		return e.Message
	}
	return fmt.Sprintf("Error parsing parameter '--%s': %s", e.Param, e.Message)
}

// ExitCode returns the AWS CLI v2's exit code for the error: 252, or 255 for a [ValueError].
func (e *UsageError) ExitCode() int {
	if e.Form == ValueError {
		return 255
	}
	return 252
}
