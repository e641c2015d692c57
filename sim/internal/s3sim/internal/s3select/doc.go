// Package s3select is S3 Select: the SQL of SelectObjectContent, run over a CSV or JSON
// object, and the event stream that answers it.
//
// # The SQL
//
// [Parse] reads the subset AWS documents for S3 Select: a SELECT list of *, alias.*, or
// expressions with aliases; FROM S3Object with a path into JSON (S3Object[*].a[*]) and an
// alias; WHERE; LIMIT. Expressions have columns by position (_1, s._2) or name (quoted
// names match exactly, others ignoring case), JSON paths (s.a.b[0]), literals, arithmetic,
// ||, comparisons, AND/OR/NOT in three-valued logic, LIKE with ESCAPE, BETWEEN, IN, IS
// [NOT] NULL / MISSING, CAST to INT, FLOAT, STRING, BOOL and TIMESTAMP, CASE, the string
// functions LOWER, UPPER, TRIM (with LEADING/TRAILING/BOTH), SUBSTRING (FROM … FOR or
// commas) and CHAR_LENGTH, COALESCE, NULLIF, ABS, and the aggregates COUNT, SUM, AVG, MIN
// and MAX. The parser is written here: Go's SQL parsers read MySQL's or PostgreSQL's
// grammar, not S3 Select's PartiQL forms (S3Object[*] paths, MISSING, TRIM's keywords);
// FuzzSelect runs it with the readers.
//
// CSV fields are text; compared with or computed with a number, a field that spells a
// number is that number (AWS asks for CAST; the simulator takes both).
//
// # Input and output
//
// CSV with FileHeaderInfo NONE, USE or IGNORE, its delimiters, quote and escape characters,
// comment lines and AllowQuotedRecordDelimiter; JSON DOCUMENT (values one after another)
// and LINES; GZIP and BZIP2 compression; ScanRange over uncompressed CSV and JSON lines.
// Output is CSV (QuoteFields ALWAYS or ASNEEDED) or JSON. Parquet is refused as not
// implemented.
//
// # The response
//
// [Plan.Run] writes AWS's event stream with the SDK's own encoder: Records events of about
// 64 KiB, a Progress after each when RequestProgress is on, a Cont after each MiB scanned
// with nothing to send, then Stats and End — or, when the object cannot be read or a
// record cannot be evaluated, an error message with S3 Select's code in place of what
// was not yet sent. What [Prepare] refuses is an HTTP error before any event.
package s3select
