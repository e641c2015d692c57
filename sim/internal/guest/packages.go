package guest

import (
	"strings"
	"sync"
)

// A pkg is a package of a family's catalog: what installing it puts on the instance.
type pkg struct {
	Name    string
	Version string // as the package manager shows it, without the release's suffix
	Size    string // the download, as yum shows it
	Unit    string // its systemd service, "" for none
	Desc    string // the unit's description
	Port    int    // the port its service listens on, 0 for none
	Web     bool   // its service answers HTTP from the family's document root for it
	Bins    []string
	Files   map[string]string
	Starts  bool // Debian's policy: the service is enabled and started on install
	Preset  bool // installed with the image
	Aliases []string
}

const welcomeNginx = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
`

const welcomeApache = `<!DOCTYPE html>
<html>
<head><title>Apache2 Default Page: It works</title></head>
<body>
<h1>Apache2 Default Page</h1>
<p>It works! This is the default welcome page used to test the correct operation of the
Apache2 server after installation.</p>
</body>
</html>
`

var catalogs sync.Map // family ID → map[string]*pkg, never changed once made

// catalogOf returns the packages the family's repositories have, by name. The map and its
// packages are shared: read them only.
func catalogOf(f family) map[string]*pkg {
	if c, ok := catalogs.Load(f.ID); ok {
		return c.(map[string]*pkg)
	}
	c, _ := catalogs.LoadOrStore(f.ID, makeCatalog(f))
	return c.(map[string]*pkg)
}

func makeCatalog(f family) map[string]*pkg {
	var list []*pkg
	if f.amazon() {
		aws := &pkg{Name: "awscli-2", Version: "2.17.18", Size: "2.9 M", Bins: []string{"aws"}, Preset: true, Aliases: []string{"awscli"}}
		if f.ID != "al2023" {
			aws = &pkg{Name: "awscli", Version: "1.18.147", Size: "1.5 M", Bins: []string{"aws"}, Preset: true}
		}
		list = []*pkg{
			{Name: "httpd", Version: "2.4.62", Size: "1.4 M", Unit: "httpd", Desc: "The Apache HTTP Server", Port: 80, Web: true,
				Bins: []string{"httpd", "apachectl"}, Files: map[string]string{"/etc/httpd/conf/httpd.conf": "Listen 80\nDocumentRoot \"/var/www/html\"\n", "/var/www/html": ""}},
			{Name: "nginx", Version: "1.26.2", Size: "33 k", Unit: "nginx", Desc: "The nginx HTTP and reverse proxy server", Port: 80, Web: true,
				Bins: []string{"nginx"}, Files: map[string]string{"/usr/share/nginx/html/index.html": welcomeNginx, "/etc/nginx/nginx.conf": "events {}\nhttp {\n    server {\n        listen 80;\n        root /usr/share/nginx/html;\n    }\n}\n"}},
			{Name: "php", Version: "8.3.16", Size: "11 k", Bins: []string{"php"}, Aliases: []string{"php8.3"}},
			{Name: "php-fpm", Version: "8.3.16", Size: "1.9 M", Unit: "php-fpm", Desc: "The PHP FastCGI Process Manager"},
			{Name: "php-mysqli", Version: "8.3.16", Size: "43 k", Aliases: []string{"php-mysqlnd"}},
			{Name: "php-json", Version: "8.3.16", Size: "11 k"},
			{Name: "php-devel", Version: "8.3.16", Size: "1.3 M"},
			{Name: "git", Version: "2.47.1", Size: "53 k", Bins: []string{"git"}},
			{Name: "nodejs", Version: "18.20.5", Size: "14 M", Bins: []string{"node", "npm"}},
			{Name: "python3", Version: "3.9.20", Size: "26 k", Bins: []string{"python3"}, Preset: true},
			{Name: "python3-pip", Version: "21.3.1", Size: "1.8 M", Bins: []string{"pip3"}},
			{Name: "mariadb105-server", Version: "10.5.25", Size: "9.8 M", Unit: "mariadb", Desc: "MariaDB 10.5 database server", Port: 3306,
				Bins: []string{"mysqld"}, Aliases: []string{"mariadb-server"}},
			{Name: "mariadb105", Version: "10.5.25", Size: "1.6 M", Bins: []string{"mysql"}, Aliases: []string{"mariadb", "mysql"}},
			{Name: "docker", Version: "25.0.6", Size: "44 M", Unit: "docker", Desc: "Docker Application Container Engine", Bins: []string{"docker"}},
			{Name: "amazon-efs-utils", Version: "2.1.0", Size: "1.2 M", Bins: []string{"mount.efs"}},
			{Name: "nfs-utils", Version: "2.5.4", Size: "431 k", Bins: []string{"mount.nfs4"}},
			{Name: "java-17-amazon-corretto", Version: "17.0.13+11", Size: "204 k", Bins: []string{"java"}},
			{Name: "tree", Version: "1.8.0", Size: "56 k", Bins: []string{"tree"}},
			{Name: "jq", Version: "1.7.1", Size: "188 k", Bins: []string{"jq"}},
			{Name: "wget", Version: "1.21.3", Size: "791 k", Bins: []string{"wget"}},
			{Name: "unzip", Version: "6.0", Size: "182 k", Bins: []string{"unzip"}},
			{Name: "htop", Version: "3.2.1", Size: "160 k", Bins: []string{"htop"}},
			{Name: "stress", Version: "1.0.4", Size: "37 k", Bins: []string{"stress"}},
			{Name: "openssh-server", Version: "8.7p1", Size: "450 k", Unit: "sshd", Desc: "OpenSSH server daemon", Port: 22, Preset: true},
			{Name: "cloud-init", Version: "22.2.2", Size: "1.1 M", Preset: true},
			{Name: "curl", Version: "8.5.0", Size: "319 k", Bins: []string{"curl"}, Preset: true, Aliases: []string{"curl-minimal"}},
			aws,
		}
	} else {
		list = []*pkg{
			{Name: "apache2", Version: "2.4.62", Size: "90.2 kB", Unit: "apache2", Desc: "The Apache HTTP Server", Port: 80, Web: true, Starts: true,
				Bins: []string{"apache2", "apachectl"}, Files: map[string]string{"/var/www/html/index.html": welcomeApache, "/etc/apache2/apache2.conf": "Listen 80\n"}},
			{Name: "nginx", Version: "1.24.0", Size: "520 kB", Unit: "nginx", Desc: "A high performance web server and a reverse proxy server", Port: 80, Web: true, Starts: true,
				Bins: []string{"nginx"}, Files: map[string]string{"/var/www/html/index.nginx-debian.html": welcomeNginx, "/etc/nginx/nginx.conf": "events {}\n"}},
			{Name: "git", Version: "2.43.0", Size: "3,679 kB", Bins: []string{"git"}},
			{Name: "nodejs", Version: "18.19.1", Size: "11.7 MB", Bins: []string{"node"}},
			{Name: "npm", Version: "9.2.0", Size: "2,016 kB", Bins: []string{"npm"}},
			{Name: "python3", Version: "3.12.3", Size: "23.0 kB", Bins: []string{"python3"}, Preset: true},
			{Name: "python3-pip", Version: "24.0", Size: "1,317 kB", Bins: []string{"pip3"}},
			{Name: "mysql-server", Version: "8.0.40", Size: "9,624 B", Unit: "mysql", Desc: "MySQL Community Server", Port: 3306, Starts: true, Bins: []string{"mysqld", "mysql"}},
			{Name: "mariadb-server", Version: "10.11.8", Size: "3,729 kB", Unit: "mariadb", Desc: "MariaDB 10.11 database server", Port: 3306, Starts: true, Bins: []string{"mariadbd", "mysql"}},
			{Name: "docker.io", Version: "24.0.7", Size: "29.1 MB", Unit: "docker", Desc: "Docker Application Container Engine", Starts: true, Bins: []string{"docker"}},
			{Name: "nfs-common", Version: "2.6.4", Size: "256 kB", Bins: []string{"mount.nfs4"}},
			{Name: "awscli", Version: "2.14.6", Size: "1,503 kB", Bins: []string{"aws"}},
			{Name: "tree", Version: "2.1.1", Size: "47.9 kB", Bins: []string{"tree"}},
			{Name: "jq", Version: "1.7.1", Size: "65.8 kB", Bins: []string{"jq"}},
			{Name: "unzip", Version: "6.0", Size: "174 kB", Bins: []string{"unzip"}},
			{Name: "htop", Version: "3.3.0", Size: "171 kB", Bins: []string{"htop"}},
			{Name: "openssh-server", Version: "9.6p1", Size: "510 kB", Unit: "ssh", Desc: "OpenBSD Secure Shell server", Port: 22, Preset: true},
			{Name: "cloud-init", Version: "24.4", Size: "600 kB", Preset: true},
			{Name: "curl", Version: "8.5.0", Size: "227 kB", Bins: []string{"curl"}, Preset: true},
		}
	}
	out := map[string]*pkg{}
	for _, p := range list {
		out[p.Name] = p
	}
	return out
}

// release is the part of a version that names the family's build: 2.4.62-1.amzn2023.
func release(f family) string {
	switch f.ID {
	case "al2023":
		return "-1.amzn2023"
	case "al2":
		return "-1.amzn2.0.1"
	case "amzn":
		return "-1.31.amzn1"
	case "ubuntu":
		return "-1ubuntu1"
	}
	return "-1+deb12u1"
}

// find returns the catalog's package called name, or one it provides under that name.
func find(cat map[string]*pkg, name string) *pkg {
	if p, ok := cat[name]; ok {
		return p
	}
	name = strings.TrimSuffix(name, ".x86_64")
	for _, p := range cat {
		for _, a := range p.Aliases {
			if a == name {
				return p
			}
		}
	}
	return cat[name]
}
