package guest

import (
	"regexp"
	"strings"
)

// A family is the operating system an image runs, as far as the simulator tells them apart:
// its release file, default user, package manager, kernel and package catalog.
type family struct {
	ID        string // al2023, al2, amzn, ubuntu, debian
	User      string // the default user, whom EC2 gives the key pair
	Manager   string // dnf, yum, apt
	Kernel    string // uname -r
	OSRelease string // /etc/os-release
	Pretty    string
	Docroot   map[string]string // a web server's document root, by package
}

// familyOf returns the family of the image named name (EC2's image names: al2023-ami-…,
// amzn2-ami-…, amzn-ami-…, ubuntu/images/…, debian-12-…), Amazon Linux 2023 when the name
// says nothing (an image of the account's own).
func familyOf(name string) family {
	switch {
	case strings.HasPrefix(name, "amzn2-"):
		return al2
	case strings.HasPrefix(name, "amzn-ami"):
		return amzn1
	case strings.Contains(name, "ubuntu"):
		return ubuntu(name)
	case strings.HasPrefix(name, "debian-"):
		return debian
	}
	return al2023
}

// The families' files. https://docs.aws.amazon.com/linux/al2023/ug/ec2.html, Canonical's and
// Debian's cloud images; the default users per image:
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/managing-users.html#ami-default-user-names
var (
	amazonDocroots = map[string]string{"httpd": "/var/www/html", "nginx": "/usr/share/nginx/html"}
	debianDocroots = map[string]string{"apache2": "/var/www/html", "nginx": "/var/www/html"}

	al2023 = family{ID: "al2023", User: "ec2-user", Manager: "dnf", Kernel: "6.1.124-134.200.amzn2023.x86_64",
		Pretty: "Amazon Linux 2023.6.20250115", Docroot: amazonDocroots,
		OSRelease: `NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023.6.20250115"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"
HOME_URL="https://aws.amazon.com/linux/amazon-linux-2023/"
DOCUMENTATION_URL="https://docs.aws.amazon.com/linux/"
SUPPORT_URL="https://aws.amazon.com/premiumsupport/"
BUG_REPORT_URL="https://github.com/amazonlinux/amazon-linux-2023"
VENDOR_NAME="AWS"
VENDOR_URL="https://aws.amazon.com/"
SUPPORT_END="2029-06-30"
`}
	al2 = family{ID: "al2", User: "ec2-user", Manager: "yum", Kernel: "5.10.233-223.887.amzn2.x86_64",
		Pretty: "Amazon Linux 2", Docroot: amazonDocroots,
		OSRelease: `NAME="Amazon Linux"
VERSION="2"
ID="amzn"
ID_LIKE="centos rhel fedora"
VERSION_ID="2"
PRETTY_NAME="Amazon Linux 2"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"
HOME_URL="https://amazonlinux.com/"
SUPPORT_END="2026-06-30"
`}
	amzn1 = family{ID: "amzn", User: "ec2-user", Manager: "yum", Kernel: "4.9.20-11.31.amzn1.x86_64",
		Pretty: "Amazon Linux AMI 2017.03", Docroot: amazonDocroots,
		OSRelease: `NAME="Amazon Linux AMI"
VERSION="2017.03"
ID="amzn"
ID_LIKE="rhel fedora"
VERSION_ID="2017.03"
PRETTY_NAME="Amazon Linux AMI 2017.03"
ANSI_COLOR="0;33"
CPE_NAME="cpe:/o:amazon:linux:2017.03:ga"
HOME_URL="http://aws.amazon.com/amazon-linux-ami/"
`}
	debian = family{ID: "debian", User: "admin", Manager: "apt", Kernel: "6.1.0-29-cloud-amd64",
		Pretty: "Debian GNU/Linux 12 (bookworm)", Docroot: debianDocroots,
		OSRelease: `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`}
)

var ubuntuRelease = regexp.MustCompile(`ubuntu-([a-z]+)-(\d+\.\d+)`)

// ubuntuNames are the releases' full names, by codename.
var ubuntuNames = map[string]string{"noble": "Noble Numbat", "jammy": "Jammy Jellyfish", "focal": "Focal Fossa",
	"bionic": "Bionic Beaver", "xenial": "Xenial Xerus"}

func ubuntu(image string) family {
	code, version := "noble", "24.04"
	if m := ubuntuRelease.FindStringSubmatch(image); m != nil {
		code, version = m[1], m[2]
	}
	full := ubuntuNames[code]
	if full == "" {
		full = strings.ToUpper(code[:1]) + code[1:]
	}
	pretty := "Ubuntu " + version + " LTS"
	kernel := "6.8.0-1021-aws"
	switch version {
	case "22.04":
		kernel = "6.8.0-1021-aws"
	case "16.04":
		kernel = "4.4.0-1013-aws"
	}
	return family{ID: "ubuntu", User: "ubuntu", Manager: "apt", Kernel: kernel, Pretty: pretty, Docroot: debianDocroots,
		OSRelease: `PRETTY_NAME="` + pretty + `"
NAME="Ubuntu"
VERSION_ID="` + version + `"
VERSION="` + version + ` LTS (` + full + `)"
VERSION_CODENAME=` + code + `
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=` + code + `
`}
}

// amazon reports whether the family is one of Amazon Linux's.
func (f family) amazon() bool { return f.Manager != "apt" }
