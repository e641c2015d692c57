package s3select

import (
	"fmt"
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// S3 Select's error codes as the wire spells them, with AWS's messages, from the list of
// S3 Select errors in https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.
const (
	CastFailed                       core.Code = "CastFailed"
	CSVEscapingRecordDelimiter       core.Code = "CSVEscapingRecordDelimiter"
	CSVParsingError                  core.Code = "CSVParsingError"
	CSVUnescapedQuote                core.Code = "CSVUnescapedQuote"
	EvaluatorInvalidArguments        core.Code = "EvaluatorInvalidArguments"
	ExpressionTooLong                core.Code = "ExpressionTooLong"
	ExternalEvalException            core.Code = "ExternalEvalException"
	IllegalSQLFunctionArgument       core.Code = "IllegalSqlFunctionArgument"
	IncorrectSQLFunctionArgumentType core.Code = "IncorrectSqlFunctionArgumentType"
	InvalidCast                      core.Code = "InvalidCast"
	InvalidColumnIndex               core.Code = "InvalidColumnIndex"
	InvalidCompressionFormat         core.Code = "InvalidCompressionFormat"
	InvalidDataSource                core.Code = "InvalidDataSource"
	InvalidExpressionType            core.Code = "InvalidExpressionType"
	InvalidFileHeaderInfo            core.Code = "InvalidFileHeaderInfo"
	InvalidJSONType                  core.Code = "InvalidJsonType"
	InvalidQuoteFields               core.Code = "InvalidQuoteFields"
	InvalidRequestParameter          core.Code = "InvalidRequestParameter"
	InvalidScanRange                 core.Code = "InvalidScanRange"
	InvalidTableAlias                core.Code = "InvalidTableAlias"
	InvalidTextEncoding              core.Code = "InvalidTextEncoding"
	JSONParsingError                 core.Code = "JSONParsingError"
	LexerInvalidChar                 core.Code = "LexerInvalidChar"
	LexerInvalidLiteral              core.Code = "LexerInvalidLiteral"
	LikeInvalidInputs                core.Code = "LikeInvalidInputs"
	MissingRequiredParameter         core.Code = "MissingRequiredParameter"
	ObjectSerializationConflict      core.Code = "ObjectSerializationConflict"
	OverMaxRecordSize                core.Code = "OverMaxRecordSize"
	ParseAsteriskIsNotAloneInSelect  core.Code = "ParseAsteriskIsNotAloneInSelectList"
	ParseCastArity                   core.Code = "ParseCastArity"
	ParseEmptySelect                 core.Code = "ParseEmptySelect"
	ParseExpectedExpression          core.Code = "ParseExpectedExpression"
	ParseExpectedIdentForAlias       core.Code = "ParseExpectedIdentForAlias"
	ParseExpectedKeyword             core.Code = "ParseExpectedKeyword"
	ParseExpectedNumber              core.Code = "ParseExpectedNumber"
	ParseExpectedTokenType           core.Code = "ParseExpectedTokenType"
	ParseExpectedTypeName            core.Code = "ParseExpectedTypeName"
	ParseNonUnaryAggregateCall       core.Code = "ParseNonUnaryAgregateFunctionCall"
	ParseSelectMissingFrom           core.Code = "ParseSelectMissingFrom"
	ParseUnexpectedToken             core.Code = "ParseUnexpectedToken"
	ParseUnsupportedCallWithStar     core.Code = "ParseUnsupportedCallWithStar"
	ParseUnsupportedSyntax           core.Code = "ParseUnsupportedSyntax"
	UnsupportedFunction              core.Code = "UnsupportedFunction"
	UnsupportedScanRangeInput        core.Code = "UnsupportedScanRangeInput"
	UnsupportedSQLOperation          core.Code = "UnsupportedSqlOperation"
	UnsupportedSQLStructure          core.Code = "UnsupportedSqlStructure"
	UnsupportedSyntax                core.Code = "UnsupportedSyntax"
	UnsupportedFormat                core.Code = "UnrecognizedFormatException"
)

// messages are AWS's words for each code; a message with a %s takes details.
var messages = map[core.Code]string{
	CastFailed:                       "Attempt to convert from one data type to another using CAST failed in the SQL expression.",
	CSVEscapingRecordDelimiter:       "A quoted record delimiter was found in the file. To allow quoted record delimiters, set AllowQuotedRecordDelimiter to 'TRUE'.",
	CSVParsingError:                  "Encountered an error parsing the CSV file. Check the file and try again.",
	CSVUnescapedQuote:                "A CSV field contains an unescaped quote. Check the file and try again.",
	EvaluatorInvalidArguments:        "Incorrect number of arguments in the function call in the SQL expression.",
	ExpressionTooLong:                "The SQL expression is too long. The maximum byte-length for an SQL expression is 256 KB.",
	ExternalEvalException:            "The query cannot be evaluated. Check the file and try again.",
	IllegalSQLFunctionArgument:       "An illegal argument was used in the SQL function.",
	IncorrectSQLFunctionArgumentType: "Incorrect type of arguments in function call in the SQL expression.",
	InvalidCast:                      "Attempt to convert from one data type to another using CAST failed in the SQL expression.",
	InvalidColumnIndex:               "The column index in the SQL expression is invalid.",
	InvalidCompressionFormat:         "The file is not in a supported compression format. Only GZIP and BZIP2 are supported.",
	InvalidDataSource:                "Invalid data source type. Only CSV, JSON, and Parquet are supported.",
	InvalidExpressionType:            "The ExpressionType is invalid. Only SQL expressions are supported.",
	InvalidFileHeaderInfo:            "The FileHeaderInfo is invalid. Only NONE, USE, and IGNORE are supported.",
	InvalidJSONType:                  "The JsonType is invalid. Only DOCUMENT and LINES are supported.",
	InvalidQuoteFields:               "The QuoteFields is invalid. Only ALWAYS and ASNEEDED are supported.",
	InvalidRequestParameter:          "The value of a parameter in SelectRequest element is invalid. Check the service API documentation and try again.",
	InvalidScanRange:                 "The provided scan range is invalid.",
	InvalidTableAlias:                "The SQL expression contains an invalid table alias.",
	InvalidTextEncoding:              "Invalid encoding type. Only UTF-8 encoding is supported.",
	JSONParsingError:                 "Encountered an error parsing the JSON file. Check the file and try again.",
	LexerInvalidChar:                 "The SQL expression contains an invalid character.",
	LexerInvalidLiteral:              "The SQL expression contains an invalid operator.",
	LikeInvalidInputs:                "Invalid argument given to the LIKE clause in the SQL expression.",
	MissingRequiredParameter:         "The SelectRequest entity is missing a required parameter. Check the service documentation and try again.",
	ObjectSerializationConflict:      "InputSerialization specifies more than one format (CSV, JSON, or Parquet), or OutputSerialization specifies more than one format (CSV or JSON). InputSerialization and OutputSerialization can only specify one format each.",
	OverMaxRecordSize:                "The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.",
	ParseAsteriskIsNotAloneInSelect:  "Other expressions are not allowed in the SELECT list when '*' is used without dot notation in the SQL expression.",
	ParseCastArity:                   "The SQL expression CAST has incorrect arity.",
	ParseEmptySelect:                 "The SQL expression contains an empty SELECT.",
	ParseExpectedExpression:          "Did not find the expected SQL expression.",
	ParseExpectedIdentForAlias:       "Did not find the expected identifier for the alias in the SQL expression.",
	ParseExpectedKeyword:             "Did not find the expected keyword in the SQL expression.",
	ParseExpectedNumber:              "Did not find the expected number in the SQL expression.",
	ParseExpectedTokenType:           "Did not find the expected token in the SQL expression.",
	ParseExpectedTypeName:            "Did not find the expected type name in the SQL expression.",
	ParseNonUnaryAggregateCall:       "Only one argument is supported for aggregate functions in the SQL expression.",
	ParseSelectMissingFrom:           "The SQL expression contains a missing FROM after SELECT list.",
	ParseUnexpectedToken:             "The SQL expression contains an unexpected token.",
	ParseUnsupportedCallWithStar:     "Only COUNT with (*) as a parameter is supported in the SQL expression.",
	ParseUnsupportedSyntax:           "The SQL expression contains unsupported syntax.",
	UnsupportedFunction:              "Encountered an unsupported SQL function.",
	UnsupportedScanRangeInput:        "Scan range queries are not supported on this type of object.",
	UnsupportedSQLOperation:          "Encountered an unsupported SQL operation.",
	UnsupportedSQLStructure:          "Encountered an unsupported SQL structure. Check the SQL Reference.",
	UnsupportedSyntax:                "Encountered invalid syntax.",
	UnsupportedFormat:                "Encountered an invalid record type.",
}

// fail returns the error of code, with AWS's message and, when given, where in the
// expression or the object it happened.
func fail(code core.Code, detail string, args ...any) *core.Error {
	msg := messages[code]
	if detail != "" {
		msg += " " + fmt.Sprintf(detail, args...)
	}
	return &core.Error{Code: code, Message: msg, Status: http.StatusBadRequest}
}
