package query

// Error is bad input from the client: Code is AWS's error code for the protocol
// (e.g. "MissingParameter", "ValidationError"), Message its explanation. The HTTP status is 400
// and the fault the sender's.
type Error struct {
	Code, Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// StatusCode returns the HTTP status AWS answers with: 400.
func (e *Error) StatusCode() int { return 400 }

// callerError is a programming error of the caller (not the client), such as passing a
// non-pointer to Decode.
type callerError struct{ msg string }

func (e *callerError) Error() string { return e.msg }
