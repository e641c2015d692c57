package cli

import "testing"

// Policy documents the session's commands read from files.
var sessionFiles = map[string]string{
	"ec2.json":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}]}`,
	"s3.json":    `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::lab","arn:aws:s3:::lab/*"],"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`,
	"trust.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`,
	"trust2.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`,
	"inputs.json": `["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"]`,
	// An SSH key, a certificate with its key and another certificate, for the account's steps.
	"ssh.pub": `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCH/h70suNXIQjiCASFhLZIMYK8+AGRvzKnLCwl/V/3nXLPVy+KG+DL/Hgt60NfLKPpZL2TXiERjAydM2AA34xfsRQl/Ha/9K1GQ1yralptXGS8QI98ftYWepXialVOs4z7WrnNTHBAmL0oLzoiXSG4RHrbyWvsKKso/xcHPWFhe/GIVBXPFXVAWAW4A79Qh5p5oGlYRuilmAEmyFMxtN1c6mO5tTi45yTUzR2Jf7x3oq5UK7ufQcoi2RpXYoePC9jll+vErfclrluP84tMLtT0kxo+AQ2Dmm9IDMUe53qwDMzAkpXq+6G+sfoannRWnxUaWu5eOVXtIsca8lM7vwAv lab@awsx
`,
	"cert.pem": `-----BEGIN CERTIFICATE-----
MIIBiTCCAS+gAwIBAgIUPKvuOrGTTUpTwCObB5ZnG4bNv/kwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPbGFiLmV4YW1wbGUuY29tMB4XDTI2MTIwNzIwNDgyN1oXDTM2
MTIwNDIwNDgyN1owGjEYMBYGA1UEAwwPbGFiLmV4YW1wbGUuY29tMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEE39BiBin4mAHUS8FbJEVvS7ScmGWVU+IczOU6jII
W5TBzFrH8D9R+/j5ag1TwhObTBKJi2QmwGToPiRmOyvL96NTMFEwHQYDVR0OBBYE
FNRglG6uZ9zdaI3B/8yCQyz/TYfpMB8GA1UdIwQYMBaAFNRglG6uZ9zdaI3B/8yC
Qyz/TYfpMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAP7bIurz
99758alPYCnRuwAfRC6z6Sisdqi2re2iSaH2AiBMhtNZ0ysCAWkjAA2y83Sy87T7
b9BNYHkdNQ1lDek1aQ==
-----END CERTIFICATE-----
`,
	"key.pem": `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMcBjXYJIXwppUlMy
pIm+f7qjhz6lmwCbLUPyyl51+QehRANCAAQTf0GIGKfiYAdRLwVskRW9LtJyYZZV
T4hzM5TqMghblMHMWsfwP1H7+PlqDVPCE5tMEomLZCbAZOg+JGY7K8v3
-----END PRIVATE KEY-----
`,
	"cert2.pem": `-----BEGIN CERTIFICATE-----
MIIBjDCCATOgAwIBAgIUQiD/C6GpuTCpCJPbSs74qxhs6rMwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRb3RoZXIuZXhhbXBsZS5jb20wHhcNMjYxMjA3MjA0ODI3WhcN
MzYxMjA0MjA0ODI3WjAcMRowGAYDVQQDDBFvdGhlci5leGFtcGxlLmNvbTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABHkHQIFncjcQ8LH8YzkD/RQSotKFstGfsz1q
fnPa7YZn6Nz/1KlBRcCrBly+9F967QmksjNsAJAi6d9GzwwuOyOjUzBRMB0GA1Ud
DgQWBBTBF2xjBHfBu5HFEnOuIwKnKt5DJjAfBgNVHSMEGDAWgBTBF2xjBHfBu5HF
EnOuIwKnKt5DJjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIBh7
M7lmCGL6nT/N6fd23RlhW/YkOrTkSVWrnbd5Yu6VAiAz86o2+rFOFhV/kSkeMtlG
mYoQo7rFsV+CwOTKZ+FZrQ==
-----END CERTIFICATE-----
`,
}

const (
	managedARN = "arn:aws:iam::123456789012:policy/ec2-no-terminate"
	adminARN   = "arn:aws:iam::aws:policy/AdministratorAccess"
	readARN    = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	mfaARN     = "arn:aws:iam::123456789012:mfa/alex-phone"
)

// iamSTSSession uses every IAM and STS operation the simulator answers, each where what it
// needs exists: users, groups, roles, managed policies with versions, inline policies,
// boundaries, tags, access keys, login profiles, instance profiles, simulations, sessions;
// then the errors and the deletes. Outputs in json, and text, table and yaml for some; not
// yaml where the step changes state, since the AWS CLI v1, which has no yaml, must change it
// too for the sessions' IDs to stay in step.
var iamSTSSession = []step{
	// Users.
	{args: []string{"iam", "create-user", "--user-name", "alex", "--tags", "Key=team,Value=blue"}},
	{args: []string{"iam", "create-user", "--user-name", "sam", "--path", "/ops/", "--output", "table"}},
	{args: []string{"iam", "create-user", "--user-name", "kim", "--permissions-boundary", readARN, "--output", "text"}},
	{args: []string{"iam", "get-user", "--user-name", "alex"}},
	{args: []string{"iam", "get-user", "--user-name", "kim", "--output", "yaml"}},
	{args: []string{"iam", "update-user", "--user-name", "sam", "--new-user-name", "samantha", "--new-path", "/ops/lead/"}},
	{args: []string{"iam", "list-users"}},
	{args: []string{"iam", "list-users", "--output", "text"}},
	{args: []string{"iam", "list-users", "--output", "table"}},
	{args: []string{"iam", "list-users", "--path-prefix", "/ops/", "--output", "yaml"}},
	{args: []string{"iam", "list-users", "--max-items", "1"}},
	{args: []string{"iam", "list-users", "--max-items", "1", "--query", "NextToken"}, capture: "token"},
	{args: []string{"iam", "list-users", "--starting-token", "{token}"}},
	{args: []string{"iam", "list-users", "--starting-token", "{token}", "--output", "yaml-stream"}},
	{args: []string{"iam", "list-users", "--max-items", "2", "--page-size", "1", "--output", "yaml-stream"}},
	{args: []string{"iam", "list-users", "--page-size", "1", "--output", "yaml-stream", "--query", "Users[].UserName"}},
	{args: []string{"iam", "list-users", "--page-size", "1", "--output", "text", "--query", "Users[].UserName"}},
	{args: []string{"iam", "list-users", "--page-size", "2", "--output", "text"}},
	{args: []string{"iam", "list-users", "--max-items", "1", "--query", "NextToken", "--output", "text"}},
	{args: []string{"iam", "list-users", "--max-items", "2", "--page-size", "1", "--output", "text"}},
	{args: []string{"iam", "tag-user", "--user-name", "alex", "--tags", "Key=env,Value=lab", "Key=cost,Value=1.5"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex", "--output", "yaml"}},
	{args: []string{"iam", "untag-user", "--user-name", "alex", "--tag-keys", "env"}},
	{args: []string{"iam", "list-user-tags", "--user-name", "alex", "--output", "text"}},
	{args: []string{"iam", "put-user-permissions-boundary", "--user-name", "alex", "--permissions-boundary", readARN}},
	{args: []string{"iam", "get-user", "--user-name", "alex", "--query", "User.PermissionsBoundary"}},
	{args: []string{"iam", "delete-user-permissions-boundary", "--user-name", "alex"}},

	// Groups.
	{args: []string{"iam", "create-group", "--group-name", "admin"}},
	{args: []string{"iam", "create-group", "--group-name", "readers", "--path", "/teams/"}},
	{args: []string{"iam", "update-group", "--group-name", "readers", "--new-group-name", "auditors"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "alex", "--group-name", "admin"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "kim", "--group-name", "admin"}},
	{args: []string{"iam", "add-user-to-group", "--user-name", "kim", "--group-name", "auditors"}},
	{args: []string{"iam", "get-group", "--group-name", "admin"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--output", "table"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--page-size", "1", "--output", "text"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--page-size", "1", "--output", "yaml-stream"}},
	{args: []string{"iam", "get-group", "--group-name", "admin", "--max-items", "1"}},
	{args: []string{"iam", "list-groups"}},
	{args: []string{"iam", "list-groups", "--output", "yaml"}},
	{args: []string{"iam", "list-groups-for-user", "--user-name", "kim", "--output", "text"}},
	{args: []string{"iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", adminARN}},
	{args: []string{"iam", "list-attached-group-policies", "--group-name", "admin"}},
	{args: []string{"iam", "put-group-policy", "--group-name", "auditors", "--policy-name", "read-lab", "--policy-document", "file://s3.json"}},
	{args: []string{"iam", "get-group-policy", "--group-name", "auditors", "--policy-name", "read-lab"}},
	{args: []string{"iam", "get-group-policy", "--group-name", "auditors", "--policy-name", "read-lab", "--output", "yaml"}},
	{args: []string{"iam", "list-group-policies", "--group-name", "auditors"}},

	// Managed policies and their versions.
	{args: []string{"iam", "create-policy", "--policy-name", "ec2-no-terminate", "--policy-document", "file://ec2.json", "--description", "EC2, but no terminating"}},
	{args: []string{"iam", "get-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "get-policy", "--policy-arn", adminARN, "--output", "yaml"}},
	{args: []string{"iam", "create-policy-version", "--policy-arn", managedARN, "--policy-document", "file://s3.json", "--set-as-default"}},
	{args: []string{"iam", "list-policy-versions", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-policy-versions", "--policy-arn", managedARN, "--output", "table"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v2"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v2", "--output", "yaml"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v1", "--output", "text"}},
	{args: []string{"iam", "set-default-policy-version", "--policy-arn", managedARN, "--version-id", "v1"}},
	{args: []string{"iam", "delete-policy-version", "--policy-arn", managedARN, "--version-id", "v2"}},
	{args: []string{"iam", "list-policies", "--scope", "Local"}},
	{args: []string{"iam", "list-policies", "--scope", "Local", "--output", "yaml"}},
	{args: []string{"iam", "list-policies", "--scope", "AWS", "--query", "length(Policies) > `0`"}},
	{args: []string{"iam", "attach-user-policy", "--user-name", "alex", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-attached-user-policies", "--user-name", "alex"}},
	{args: []string{"iam", "list-entities-for-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "list-entities-for-policy", "--policy-arn", adminARN, "--output", "text"}},

	// Inline user policies.
	{args: []string{"iam", "put-user-policy", "--user-name", "alex", "--policy-name", "s3-read", "--policy-document", "file://s3.json"}},
	{args: []string{"iam", "get-user-policy", "--user-name", "alex", "--policy-name", "s3-read"}},
	{args: []string{"iam", "list-user-policies", "--user-name", "alex"}},
	{args: []string{"iam", "delete-user-policy", "--user-name", "alex", "--policy-name", "s3-read"}},

	// Access keys and login profiles.
	{args: []string{"iam", "create-access-key", "--user-name", "alex"}},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--query", "AccessKeyMetadata[0].AccessKeyId", "--output", "text"}, capture: "key"},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--output", "table"}},
	{args: []string{"iam", "update-access-key", "--user-name", "alex", "--access-key-id", "{key}", "--status", "Inactive"}},
	{args: []string{"iam", "list-access-keys", "--user-name", "alex", "--output", "yaml"}},
	{args: []string{"iam", "get-access-key-last-used", "--access-key-id", "{key}"}},
	{args: []string{"iam", "create-login-profile", "--user-name", "alex", "--password", "Lab-Passw0rd!", "--password-reset-required"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "alex"}},
	{args: []string{"iam", "update-login-profile", "--user-name", "alex", "--no-password-reset-required"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "alex", "--output", "text"}},

	// Roles.
	{args: []string{"iam", "create-role", "--role-name", "app", "--assume-role-policy-document", "file://trust.json", "--description", "The lab's application", "--tags", "Key=tier,Value=web"}},
	{args: []string{"iam", "get-role", "--role-name", "app"}},
	{args: []string{"iam", "get-role", "--role-name", "app", "--output", "yaml"}},
	{args: []string{"iam", "update-role", "--role-name", "app", "--description", "The web tier", "--max-session-duration", "7200"}},
	{args: []string{"iam", "update-assume-role-policy", "--role-name", "app", "--policy-document", "file://trust2.json"}},
	{args: []string{"iam", "list-roles"}},
	{args: []string{"iam", "list-roles", "--output", "text"}},
	{args: []string{"iam", "tag-role", "--role-name", "app", "--tags", "Key=owner,Value=alex"}},
	{args: []string{"iam", "list-role-tags", "--role-name", "app"}},
	{args: []string{"iam", "untag-role", "--role-name", "app", "--tag-keys", "tier"}},
	{args: []string{"iam", "list-role-tags", "--role-name", "app", "--output", "table"}},
	{args: []string{"iam", "put-role-policy", "--role-name", "app", "--policy-name", "ec2", "--policy-document", "file://ec2.json"}},
	{args: []string{"iam", "get-role-policy", "--role-name", "app", "--policy-name", "ec2"}},
	{args: []string{"iam", "list-role-policies", "--role-name", "app"}},
	{args: []string{"iam", "attach-role-policy", "--role-name", "app", "--policy-arn", readARN}},
	{args: []string{"iam", "list-attached-role-policies", "--role-name", "app"}},
	{args: []string{"iam", "put-role-permissions-boundary", "--role-name", "app", "--permissions-boundary", adminARN}},
	{args: []string{"iam", "get-role", "--role-name", "app", "--query", "Role.PermissionsBoundary", "--output", "text"}},
	{args: []string{"iam", "delete-role-permissions-boundary", "--role-name", "app"}},

	// Instance profiles.
	{args: []string{"iam", "create-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "add-role-to-instance-profile", "--instance-profile-name", "web", "--role-name", "app"}},
	{args: []string{"iam", "get-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "list-instance-profiles"}},
	{args: []string{"iam", "list-instance-profiles", "--output", "yaml"}},
	{args: []string{"iam", "list-instance-profiles-for-role", "--role-name", "app"}},
	{args: []string{"iam", "list-instance-profiles-for-role", "--role-name", "app", "--output", "text"}},

	// Simulations.
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/alex", "--action-names", "ec2:RunInstances", "ec2:TerminateInstances"}},
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/kim", "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::lab/key", "--output", "text"}},
	{args: []string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:role/app", "--action-names", "ec2:DescribeInstances", "--output", "yaml"}},
	{args: []string{"iam", "simulate-custom-policy", "--policy-input-list", "file://inputs.json", "--action-names", "s3:PutObject", "ec2:RunInstances"}},
	{args: []string{"iam", "simulate-custom-policy", "--policy-input-list", "file://inputs.json", "--action-names", "s3:PutObject", "--output", "table"}},

	// The account: its password policy, alias, summary and authorization details.
	{args: []string{"iam", "get-account-password-policy"}},
	{args: []string{"iam", "update-account-password-policy", "--minimum-password-length", "12", "--require-symbols", "--require-numbers", "--require-uppercase-characters", "--password-reuse-prevention", "3", "--max-password-age", "90", "--allow-users-to-change-password"}},
	{args: []string{"iam", "get-account-password-policy"}},
	{args: []string{"iam", "get-account-password-policy", "--output", "yaml"}},
	{args: []string{"iam", "update-login-profile", "--user-name", "alex", "--password", "short"}},
	{args: []string{"iam", "change-password", "--old-password", "Lab-Passw0rd!", "--new-password", "New-Passw0rd!2"}},
	{args: []string{"iam", "delete-account-password-policy"}},
	{args: []string{"iam", "create-account-alias", "--account-alias", "Bad_Alias"}},
	{args: []string{"iam", "create-account-alias", "--account-alias", "awsx-lab"}},
	{args: []string{"iam", "list-account-aliases"}},
	{args: []string{"iam", "list-account-aliases", "--output", "text"}},
	{args: []string{"iam", "delete-account-alias", "--account-alias", "awsx-lab"}},
	{args: []string{"iam", "get-account-summary"}},
	{args: []string{"iam", "get-account-summary", "--output", "yaml"}},
	{args: []string{"iam", "get-account-authorization-details", "--filter", "User", "Group"}},
	{args: []string{"iam", "get-account-authorization-details", "--filter", "Role", "LocalManagedPolicy", "--output", "yaml"}},

	// MFA devices: made and tagged; enabling needs a device's codes, which a session cannot
	// compute, so the refusals stand for enable, resync and deactivate.
	{args: []string{"iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alex-phone", "--outfile", "qr.png", "--bootstrap-method", "QRCodePNG", "--tags", "Key=owner,Value=alex"}},
	{args: []string{"iam", "list-virtual-mfa-devices"}},
	{args: []string{"iam", "list-virtual-mfa-devices", "--assignment-status", "Unassigned", "--output", "text"}},
	{args: []string{"iam", "enable-mfa-device", "--user-name", "alex", "--serial-number", mfaARN, "--authentication-code1", "123456", "--authentication-code2", "654321"}},
	{args: []string{"iam", "resync-mfa-device", "--user-name", "alex", "--serial-number", mfaARN, "--authentication-code1", "123456", "--authentication-code2", "654321"}},
	{args: []string{"iam", "deactivate-mfa-device", "--user-name", "alex", "--serial-number", mfaARN}},
	{args: []string{"iam", "list-mfa-devices", "--user-name", "alex"}},
	{args: []string{"iam", "tag-mfa-device", "--serial-number", mfaARN, "--tags", "Key=env,Value=lab"}},
	{args: []string{"iam", "list-mfa-device-tags", "--serial-number", mfaARN}},
	{args: []string{"iam", "untag-mfa-device", "--serial-number", mfaARN, "--tag-keys", "env"}},
	{args: []string{"iam", "delete-virtual-mfa-device", "--serial-number", mfaARN}},

	// SSH public keys, signing certificates, server certificates.
	{args: []string{"iam", "upload-ssh-public-key", "--user-name", "alex", "--ssh-public-key-body", "file://ssh.pub"}},
	{args: []string{"iam", "list-ssh-public-keys", "--user-name", "alex", "--query", "SSHPublicKeys[0].SSHPublicKeyId", "--output", "text"}, capture: "sshkey"},
	{args: []string{"iam", "get-ssh-public-key", "--user-name", "alex", "--ssh-public-key-id", "{sshkey}", "--encoding", "PEM"}},
	{args: []string{"iam", "get-ssh-public-key", "--user-name", "alex", "--ssh-public-key-id", "{sshkey}", "--encoding", "SSH", "--output", "text"}},
	{args: []string{"iam", "update-ssh-public-key", "--user-name", "alex", "--ssh-public-key-id", "{sshkey}", "--status", "Inactive"}},
	{args: []string{"iam", "list-ssh-public-keys", "--user-name", "alex"}},
	{args: []string{"iam", "upload-ssh-public-key", "--user-name", "alex", "--ssh-public-key-body", "file://ssh.pub"}},
	{args: []string{"iam", "delete-ssh-public-key", "--user-name", "alex", "--ssh-public-key-id", "{sshkey}"}},
	{args: []string{"iam", "upload-signing-certificate", "--user-name", "alex", "--certificate-body", "file://cert.pem"}},
	{args: []string{"iam", "list-signing-certificates", "--user-name", "alex", "--query", "Certificates[0].CertificateId", "--output", "text"}, capture: "cert"},
	{args: []string{"iam", "update-signing-certificate", "--user-name", "alex", "--certificate-id", "{cert}", "--status", "Inactive"}},
	{args: []string{"iam", "list-signing-certificates", "--user-name", "alex"}},
	{args: []string{"iam", "upload-signing-certificate", "--user-name", "alex", "--certificate-body", "not a certificate"}},
	{args: []string{"iam", "delete-signing-certificate", "--user-name", "alex", "--certificate-id", "{cert}"}},
	{args: []string{"iam", "upload-server-certificate", "--server-certificate-name", "web", "--certificate-body", "file://cert.pem", "--private-key", "file://key.pem", "--path", "/cloudfront/", "--tags", "Key=env,Value=lab"}},
	{args: []string{"iam", "upload-server-certificate", "--server-certificate-name", "other", "--certificate-body", "file://cert2.pem", "--private-key", "file://key.pem"}},
	{args: []string{"iam", "get-server-certificate", "--server-certificate-name", "web"}},
	{args: []string{"iam", "list-server-certificates"}},
	{args: []string{"iam", "list-server-certificates", "--output", "table"}},
	{args: []string{"iam", "update-server-certificate", "--server-certificate-name", "web", "--new-server-certificate-name", "site"}},
	{args: []string{"iam", "tag-server-certificate", "--server-certificate-name", "site", "--tags", "Key=tier,Value=web"}},
	{args: []string{"iam", "untag-server-certificate", "--server-certificate-name", "site", "--tag-keys", "env"}},
	{args: []string{"iam", "list-server-certificate-tags", "--server-certificate-name", "site"}},
	{args: []string{"iam", "delete-server-certificate", "--server-certificate-name", "site"}},

	// Service-specific credentials, service-linked roles, the credential report, and tags on
	// policies and instance profiles.
	{args: []string{"iam", "create-service-specific-credential", "--user-name", "alex", "--service-name", "codecommit.amazonaws.com"}},
	{args: []string{"iam", "list-service-specific-credentials", "--user-name", "alex", "--query", "ServiceSpecificCredentials[0].ServiceSpecificCredentialId", "--output", "text"}, capture: "ssc"},
	{args: []string{"iam", "reset-service-specific-credential", "--user-name", "alex", "--service-specific-credential-id", "{ssc}"}},
	{args: []string{"iam", "update-service-specific-credential", "--user-name", "alex", "--service-specific-credential-id", "{ssc}", "--status", "Inactive"}},
	{args: []string{"iam", "list-service-specific-credentials", "--user-name", "alex"}},
	{args: []string{"iam", "delete-service-specific-credential", "--user-name", "alex", "--service-specific-credential-id", "{ssc}"}},
	{args: []string{"iam", "create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com"}},
	{args: []string{"iam", "create-service-linked-role", "--aws-service-name", "autoscaling.amazonaws.com"}},
	{args: []string{"iam", "delete-service-linked-role", "--role-name", "AWSServiceRoleForAutoScaling", "--query", "DeletionTaskId", "--output", "text"}, capture: "task"},
	{args: []string{"iam", "get-service-linked-role-deletion-status", "--deletion-task-id", "{task}"}},
	{args: []string{"iam", "get-credential-report"}},
	{args: []string{"iam", "generate-credential-report"}},
	{args: []string{"iam", "generate-credential-report", "--output", "text"}},
	{args: []string{"iam", "get-credential-report"}},
	{args: []string{"iam", "tag-policy", "--policy-arn", managedARN, "--tags", "Key=team,Value=blue"}},
	{args: []string{"iam", "list-policy-tags", "--policy-arn", managedARN}},
	{args: []string{"iam", "untag-policy", "--policy-arn", managedARN, "--tag-keys", "team"}},
	{args: []string{"iam", "tag-instance-profile", "--instance-profile-name", "web", "--tags", "Key=tier,Value=web"}},
	{args: []string{"iam", "list-instance-profile-tags", "--instance-profile-name", "web"}},
	{args: []string{"iam", "untag-instance-profile", "--instance-profile-name", "web", "--tag-keys", "tier"}},
	{args: []string{"iam", "update-role-description", "--role-name", "app", "--description", "The web tier, described"}},
	{args: []string{"iam", "get-context-keys-for-custom-policy", "--policy-input-list", "file://inputs.json"}},
	{args: []string{"iam", "get-context-keys-for-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:group/auditors", "--output", "text"}},
	{args: []string{"iam", "set-security-token-service-preferences", "--global-endpoint-token-version", "v2Token"}},
	{args: []string{"iam", "get-account-summary", "--query", "SummaryMap.GlobalEndpointTokenVersion"}},
	{args: []string{"iam", "list-policies-granting-service-access", "--arn", "arn:aws:iam::123456789012:user/kim", "--service-namespaces", "s3", "ec2"}},
	{args: []string{"iam", "generate-service-last-accessed-details", "--arn", "arn:aws:iam::123456789012:role/app", "--query", "JobId", "--output", "text"}, capture: "job"},
	{args: []string{"iam", "get-service-last-accessed-details", "--job-id", "{job}", "--query", "[JobStatus, ServicesLastAccessed[?ServiceNamespace=='ec2']]"}},
	{args: []string{"iam", "get-service-last-accessed-details-with-entities", "--job-id", "{job}", "--service-namespace", "ec2", "--output", "text"}},
	{args: []string{"iam", "list-organizations-features"}, unlike: v2Predates},
	{args: []string{"iam", "enable-organizations-root-credentials-management"}, unlike: v2Predates},
	{args: []string{"iam", "disable-organizations-root-credentials-management"}, unlike: v2Predates},
	{args: []string{"iam", "enable-organizations-root-sessions"}, unlike: v2Predates},
	{args: []string{"iam", "disable-organizations-root-sessions"}, unlike: v2Predates},
	{args: []string{"iam", "generate-organizations-access-report", "--entity-path", "o-a1b2c3d4e5/r-f6g7", "--query", "JobId", "--output", "text"}, capture: "orgjob", unlike: v2Predates},
	{args: []string{"iam", "get-organizations-access-report", "--job-id", "{orgjob}", "--query", "[JobStatus, ErrorDetails]"}, unlike: v2Predates},

	// STS.
	{args: []string{"sts", "get-caller-identity"}},
	{args: []string{"sts", "get-caller-identity", "--output", "yaml"}},
	{args: []string{"sts", "get-session-token"}},
	{args: []string{"sts", "get-session-token", "--duration-seconds", "900", "--output", "text"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab", "--duration-seconds", "1800", "--output", "text"}},
	{args: []string{"sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/nobody", "--role-session-name", "lab"}},
	{args: []string{"sts", "assume-role-with-saml", "--role-arn", "arn:aws:iam::123456789012:role/app", "--principal-arn", "arn:aws:iam::123456789012:saml-provider/idp", "--saml-assertion", "bm90IGEgU0FNTCBhc3NlcnRpb24="}},
	{args: []string{"sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::123456789012:role/app", "--role-session-name", "lab", "--web-identity-token", "not-a-token"}},

	// Errors.
	{args: []string{"iam", "get-user", "--user-name", "nobody"}},
	{args: []string{"iam", "create-user", "--user-name", "alex"}},
	{args: []string{"iam", "create-user", "--user-name", "bad name!"}},
	{args: []string{"iam", "delete-group", "--group-name", "admin"}},
	{args: []string{"iam", "delete-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-role", "--role-name", "app"}},
	{args: []string{"iam", "get-policy-version", "--policy-arn", managedARN, "--version-id", "v9"}},
	{args: []string{"iam", "delete-policy-version", "--policy-arn", managedARN, "--version-id", "v1"}},
	{args: []string{"iam", "create-policy", "--policy-name", "broken", "--policy-document", "{not json"}},
	{args: []string{"iam", "attach-user-policy", "--user-name", "alex", "--policy-arn", "arn:aws:iam::123456789012:policy/none"}},
	{args: []string{"iam", "update-access-key", "--user-name", "alex", "--access-key-id", "AKIAIOSFODNN7NOTHERE", "--status", "Active"}},
	{args: []string{"iam", "get-login-profile", "--user-name", "kim"}},
	{args: []string{"iam", "get-role-policy", "--role-name", "app", "--policy-name", "none"}},

	// Deletes, each undoing what the others need gone first.
	{args: []string{"iam", "remove-role-from-instance-profile", "--instance-profile-name", "web", "--role-name", "app"}},
	{args: []string{"iam", "delete-instance-profile", "--instance-profile-name", "web"}},
	{args: []string{"iam", "delete-role-policy", "--role-name", "app", "--policy-name", "ec2"}},
	{args: []string{"iam", "detach-role-policy", "--role-name", "app", "--policy-arn", readARN}},
	{args: []string{"iam", "delete-role", "--role-name", "app"}},
	{args: []string{"iam", "delete-login-profile", "--user-name", "alex"}},
	{args: []string{"iam", "delete-access-key", "--user-name", "alex", "--access-key-id", "{key}"}},
	{args: []string{"iam", "detach-user-policy", "--user-name", "alex", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-policy", "--policy-arn", managedARN}},
	{args: []string{"iam", "delete-group-policy", "--group-name", "auditors", "--policy-name", "read-lab"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "kim", "--group-name", "auditors"}},
	{args: []string{"iam", "delete-group", "--group-name", "auditors"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "alex", "--group-name", "admin"}},
	{args: []string{"iam", "remove-user-from-group", "--user-name", "kim", "--group-name", "admin"}},
	{args: []string{"iam", "detach-group-policy", "--group-name", "admin", "--policy-arn", adminARN}},
	{args: []string{"iam", "delete-group", "--group-name", "admin"}},
	{args: []string{"iam", "delete-user", "--user-name", "samantha"}},
	{args: []string{"iam", "delete-user", "--user-name", "kim"}},
	{args: []string{"iam", "delete-user", "--user-name", "alex"}},
	{args: []string{"iam", "list-users"}},
	{args: []string{"iam", "list-users", "--output", "yaml"}},
	{args: []string{"iam", "list-roles", "--output", "table"}},
}

// Every IAM and STS operation the simulator answers, through the AWS CLI v1, v2 and awsx.
func TestParityEveryIAMAndSTSOperation(t *testing.T) {
	t.Parallel()
	compareSession(t, iamSTSSession, sessionFiles)
}

// v2Predates marks a step whose command is newer than the AWS CLI v2 here: it answers "Invalid
// choice".
const v2Predates = "v2: 2.9.19 predates the command"
