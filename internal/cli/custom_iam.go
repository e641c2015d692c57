package cli

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/awsxlab/awsx/internal/cli/params"
)

// createVirtualMFADevice is the AWS CLI's iam create-virtual-mfa-device: --outfile and
// --bootstrap-method (QRCodePNG or Base32StringSeed), both required, save that field of the
// answer to the file, and both fields are dropped from what is printed.
// (awscli/customizations/iamvirtmfa.py)
var createVirtualMFADevice = &customization{
	extras: []extra{
		{flag: "outfile", help: "The output path and file name where the bootstrap information will be stored.", required: true, set: oneValue(func(any, string) error { return nil })},
		{flag: "bootstrap-method", help: "Method to use to seed the virtual MFA.  Valid values are: QRCodePNG | Base32StringSeed", required: true, set: oneValue(func(_ any, v string) error {
			if v != "QRCodePNG" && v != "Base32StringSeed" {
				return usageErr("argument --bootstrap-method: Invalid choice, valid choices are:\n\nQRCodePNG                                | Base32StringSeed")
			}
			return nil
		})},
	},
	after: func(out any, words map[string][]string, path func(string) string) error {
		o, ok := out.(*iam.CreateVirtualMFADeviceOutput)
		if !ok || o.VirtualMFADevice == nil {
			return nil
		}
		d := o.VirtualMFADevice
		body := d.QRCodePNG
		if words["bootstrap-method"][0] == "Base32StringSeed" {
			body = d.Base32StringSeed
		}
		outfile := words["outfile"][0]
		if err := os.WriteFile(path(outfile), body, 0o600); err != nil {
			return &exitError{exitOther, "\n" + params.PyOSError(err, outfile) + "\n"}
		}
		d.QRCodePNG, d.Base32StringSeed = nil, nil
		return nil
	},
}
