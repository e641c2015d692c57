package rdssim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of the operations simulated, as botocore's model names them (its error
// shapes' code), with the HTTP status it gives each: 404 for the not-found faults, 400 for the
// others. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html
const (
	InvalidParameterValue       core.Code = "InvalidParameterValue"
	InvalidParameterCombination core.Code = "InvalidParameterCombination"
	MissingParameter            core.Code = "MissingParameter"

	DBInstanceNotFound      core.Code = "DBInstanceNotFound"
	DBInstanceAlreadyExists core.Code = "DBInstanceAlreadyExists"
	InvalidDBInstanceState  core.Code = "InvalidDBInstanceState"

	DBSubnetGroupNotFoundFault         core.Code = "DBSubnetGroupNotFoundFault"
	DBSubnetGroupAlreadyExists         core.Code = "DBSubnetGroupAlreadyExists"
	DBSubnetGroupDoesNotCoverEnoughAZs core.Code = "DBSubnetGroupDoesNotCoverEnoughAZs"
	InvalidDBSubnetGroupStateFault     core.Code = "InvalidDBSubnetGroupStateFault"
	InvalidSubnet                      core.Code = "InvalidSubnet"
	InvalidVPCNetworkStateFault        core.Code = "InvalidVPCNetworkStateFault"

	DBParameterGroupNotFound      core.Code = "DBParameterGroupNotFound"
	DBParameterGroupAlreadyExists core.Code = "DBParameterGroupAlreadyExists"
	InvalidDBParameterGroupState  core.Code = "InvalidDBParameterGroupState"

	DBSnapshotNotFound      core.Code = "DBSnapshotNotFound"
	DBSnapshotAlreadyExists core.Code = "DBSnapshotAlreadyExists"
	InvalidDBSnapshotState  core.Code = "InvalidDBSnapshotState"
)

// statuses are the codes botocore's model gives a status other than 400.
var statuses = map[core.Code]int{
	DBInstanceNotFound:         http.StatusNotFound,
	DBSubnetGroupNotFoundFault: http.StatusNotFound,
	DBParameterGroupNotFound:   http.StatusNotFound,
	DBSnapshotNotFound:         http.StatusNotFound,
}

// errorf returns an RDS error with the status of the model: every fault here is the
// sender's.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	e.Status = http.StatusBadRequest
	if s, ok := statuses[code]; ok {
		e.Status = s
	}
	return e
}

// Messages AWS words so, as its API reference, SDK issue threads and moto (which copies
// them) quote them.
func instanceNotFound(id string) *core.Error {
	return errorf(DBInstanceNotFound, "DBInstance %s not found.", id)
}

func subnetGroupNotFound(name string) *core.Error {
	// As AWS words it (quoted in cloudtools/troposphere#1383).
	return errorf(DBSubnetGroupNotFoundFault, "DB subnet group '%s' does not exist.", name)
}

func paramGroupNotFound(name string) *core.Error {
	return errorf(DBParameterGroupNotFound, "DBParameterGroup not found: %s", name)
}

func snapshotNotFound(id string) *core.Error {
	return errorf(DBSnapshotNotFound, "DBSnapshot %s not found.", id)
}

func mustProvide(param string) *core.Error {
	return errorf(InvalidParameterValue, "The parameter %s must be provided and must not be blank.", param)
}

func badIdentifier(param string) *core.Error {
	return errorf(InvalidParameterValue, "The parameter %s is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.", param)
}
