// Package guest is the operating system of the simulator's Linux instances: what runs
// inside an instance, modelled once for every feature that looks there (DESIGN.md, "The
// world around the API").
//
// # The machine
//
// A machine is made when EC2 launches an instance ([Store.Handle] with a launch event), from
// its image's family (Amazon Linux 2023, Amazon Linux 2, the Amazon Linux AMI, Ubuntu, Debian;
// told by the image's name): a filesystem in memory — paths to files and directories, each
// with a mode and an owner, /etc/os-release, the default user's home (ec2-user, ubuntu,
// admin), /tmp, /var/log —, the family's preinstalled packages (openssh-server, python3,
// curl, cloud-init, the AWS CLI on Amazon Linux), and systemd units with their enabled and
// active states. Packages come from a small catalog per family (httpd or apache2, nginx,
// git, nodejs, mariadb, docker, php …); installing one adds its files, its programs and its
// unit (started and enabled on install on Debian and Ubuntu, as their policy is). The
// machines are saved with the cloud's state ([Store.MarshalJSON]).
//
// # The shell
//
// [Store.Run] interprets a script with mvdan.cc/sh/v3 (bash's language), with every
// handler the interpreter has set to the machine: files open, list, stat and check access in
// the machine's filesystem with its permissions (root passes everything; others need the
// mode's bits); programs are this package's commands (commands.go: the file tools, sudo,
// yum/dnf/apt, systemctl, curl, python3 -m http.server, aws, mount/umount/df), and a file
// of the machine run by path is a shell script. The interpreter's few ways to the host are closed: its
// directory is set without a stat, its environment is the machine's, process substitution
// (which makes FIFOs on the host) is refused, and type, command -v and hash answer from the
// machine. Background statements run in the foreground: no goroutine outlives a run.
//
// A run is bounded — commands counted by the call handler, output capped by the writers,
// wall time by the context — and stops with status 124 past a bound, so a script that loops
// or writes without end cannot hang the simulator.
//
// # What listens
//
// A started unit of a package with a port listens there (httpd, nginx, apache2 on 80;
// sshd on 22; mariadb on 3306), as does python3 -m http.server on its port; [Store.Listening]
// and [Store.Handler] answer the network (world.Hosts). Web servers serve their document
// root's files as the server's user reads them, with their own error pages and Server
// header.
//
// # Mounts
//
// mount (mount.go) mounts EFS file systems: -t efs with amazon-efs-utils installed, -t nfs4
// (DNS name or mount target address) with nfs-utils or nfs-common, as root. The cloud answers
// through Env.Mount (EFS's CanMount: mount target, network on TCP 2049, file system policy);
// a refusal prints the helper's own error and the reason on a line "awsx: …". The content of
// each file system lives once in the store, by file system ID, and is copied under the mount
// point before every step of a command and back after it (Store.update, Store.view), so
// instances that mount the same file system see each other's writes. A stop unmounts
// (there is no /etc/fstab); only a file system's root (:/) mounts.
//
// # Scope and limitations
//
// No processes, signals or job control; no users beyond root and the default user; no
// networking beyond the metadata service, the instance's own ports and AWS's endpoints
// (through the Env the cloud gives); Python runs only as a web server; packages' programs other
// than those answer --version and nothing else; sleep does not wait: it
// moves the simulator's clock through RunOptions.Sleep, when the run has one (not at boot).
package guest
