package efssim

import (
	"net/http"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// The error codes of the operations simulated, as botocore's model of EFS names them (its
// error shapes), with the HTTP status it gives each (statuses, below); the body carries
// ErrorCode and Message.
// https://docs.aws.amazon.com/efs/latest/ug/API_Operations.html
const (
	BadRequest          core.Code = "BadRequest"
	ValidationException core.Code = "ValidationException"

	FileSystemNotFound                core.Code = "FileSystemNotFound"
	FileSystemAlreadyExists           core.Code = "FileSystemAlreadyExists"
	FileSystemInUse                   core.Code = "FileSystemInUse"
	IncorrectFileSystemLifeCycleState core.Code = "IncorrectFileSystemLifeCycleState"
	UnsupportedAvailabilityZone       core.Code = "UnsupportedAvailabilityZone"

	MountTargetNotFound        core.Code = "MountTargetNotFound"
	MountTargetConflict        core.Code = "MountTargetConflict"
	IncorrectMountTargetState  core.Code = "IncorrectMountTargetState"
	SubnetNotFound             core.Code = "SubnetNotFound"
	SecurityGroupNotFound      core.Code = "SecurityGroupNotFound"
	SecurityGroupLimitExceeded core.Code = "SecurityGroupLimitExceeded"
	NoFreeAddressesInSubnet    core.Code = "NoFreeAddressesInSubnet"
	IPAddressInUse             core.Code = "IpAddressInUse"
	AvailabilityZonesMismatch  core.Code = "AvailabilityZonesMismatch"
	AccessPointNotFound        core.Code = "AccessPointNotFound"
	AccessPointAlreadyExists   core.Code = "AccessPointAlreadyExists"
	AccessPointLimitExceeded   core.Code = "AccessPointLimitExceeded"
	PolicyNotFound             core.Code = "PolicyNotFound"
	InvalidPolicyException     core.Code = "InvalidPolicyException"
	InternalServerError        core.Code = "InternalServerError"
	ThroughputLimitExceeded    core.Code = "ThroughputLimitExceeded"
	TooManyRequests            core.Code = "TooManyRequests"
	ReplicationNotFound        core.Code = "ReplicationNotFound"
	ConflictException          core.Code = "ConflictException"
	ReplicationAlreadyExists   core.Code = "ReplicationAlreadyExists"
)

// statuses are the codes botocore's model gives a status other than 400.
var statuses = map[core.Code]int{
	FileSystemNotFound:                http.StatusNotFound,
	FileSystemAlreadyExists:           http.StatusConflict,
	FileSystemInUse:                   http.StatusConflict,
	IncorrectFileSystemLifeCycleState: http.StatusConflict,
	MountTargetNotFound:               http.StatusNotFound,
	MountTargetConflict:               http.StatusConflict,
	IncorrectMountTargetState:         http.StatusConflict,
	NoFreeAddressesInSubnet:           http.StatusConflict,
	IPAddressInUse:                    http.StatusConflict,
	AccessPointNotFound:               http.StatusNotFound,
	AccessPointAlreadyExists:          http.StatusConflict,
	AccessPointLimitExceeded:          http.StatusForbidden,
	PolicyNotFound:                    http.StatusNotFound,
	InternalServerError:               http.StatusInternalServerError,
	TooManyRequests:                   http.StatusTooManyRequests,
	ReplicationNotFound:               http.StatusNotFound,
	ConflictException:                 http.StatusConflict,
	ReplicationAlreadyExists:          http.StatusConflict,
}

// errorf returns an EFS error with the status botocore's model gives its code.
func errorf(code core.Code, format string, args ...any) *core.Error {
	e := core.Errorf(code, format, args...)
	if s, ok := statuses[code]; ok {
		e.Status = s
	} else {
		e.Status = http.StatusBadRequest
	}
	return e
}
