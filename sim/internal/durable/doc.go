// Package durable keeps a program's state in a directory: named parts, replaced atomically
// and durably by commits that cost what they change, and content-addressed blobs for large
// bodies. The simulator keeps one part per service (or per bucket) and one blob per object
// body; the awsx command's state directory and "awsx sim serve --state-dir" share it.
//
// [Open] a directory [ReadWrite] to change it, or [ReadOnly] to read it; [Dir.Commit]
// replaces parts, [Dir.Part] reads one, [Dir.PutBlob] and [Dir.OpenBlob] store and serve
// bodies, [Dir.Compact] folds the journal into a snapshot and removes dead blobs.
//
// # On disk
//
//	lock                 flock(2) lock file: shared for ReadOnly, exclusive for ReadWrite
//	MANIFEST             "awsx durable state, format 1\ngeneration N\n" (absent: N = 0)
//	snapshot.N           one record holding every part as of compaction N (none for N = 0)
//	journal.N            the records committed since, appended in order
//	blobs/xx/<sha256>    blob bodies, named by the lowercase hex SHA-256 of their bytes
//	tmp/                 files being written; removed by the next writer if a crash leaves any
//
// A record is a prefix (magic "DUR1", header length, payload length, CRC-32C of prefix and
// header), a header (sequence number, then for each part its name, put or delete, size and
// CRC-32C) and the parts' contents in header order. Sequence numbers increase by one per
// journal record, starting after the snapshot's. A record with no parts is a seal: a writer's
// Close appends one to say that the records before it are whole.
//
// Open reads the manifest, the snapshot's header and the journal's headers (stepping over the
// contents), and builds an index of where each part's latest contents are; [Dir.Part] reads
// (and checks) only the part asked for, so a reader that needs two small parts does not pay
// for a large one.
//
// # Durability
//
// A commit is acknowledged (Commit returns nil) only after, in this order:
//
//  1. every blob it references is durable: PutBlob writes tmp/blob-*, fsyncs it, renames it to
//     blobs/xx/<ref> and fsyncs blobs/xx (and blobs/, the first time a Dir uses xx) before it
//     returns the ref;
//  2. its record is appended to journal.N with one write and the journal fsynced, and the
//     directory fsynced too when that write created journal.N.
//
// Compaction writes tmp/snapshot.N+1, fsyncs it, renames it to snapshot.N+1, fsyncs the
// directory, writes and fsyncs tmp/MANIFEST, renames it over MANIFEST and fsyncs the
// directory (the switch), and only then removes snapshot.N and journal.N. A crash at any point
// leaves either generation N whole or generation N+1 whole.
//
// Recovery: each append follows the fsync of the record before it, so only the journal's last
// record can be torn by a crash, and nothing follows it. Open stops at the first record whose
// prefix is short, has the wrong magic or CRC, or runs past the end of the file; unless the
// journal ends with a seal, it also checks every CRC of the last whole record. What follows
// the last good record is discarded (a writer truncates it and fsyncs) if it could be one torn
// append; if a whole record follows it, or bytes follow a last record that fails its CRCs, the
// damage is in acknowledged records and Open fails with [ErrCorrupt] rather than drop them. A
// part that fails its CRC when read is reported as ErrCorrupt too, never skipped.
//
// A writer's Open also fsyncs the journal unless it is sealed (a writer killed before its
// fsync leaves a record a power loss could still tear, and a seal must vouch only for durable
// records), fsyncs the directory before building on the manifest (a writer killed between
// its rename and its fsync leaves one a power loss could undo), and removes leftovers: tmp/*,
// and snapshots and journals of other generations. The seal itself is not fsynced: if it is
// lost, the next Open checks the last record.
//
// A failed write is cut off the journal; a failed fsync leaves the Dir refusing commits until
// it is reopened, because after one the kernel may have dropped the pages it could not write.
//
// Commits that wait for the one being written are written after it as one record (group
// commit): concurrent writers share the fsyncs. Readers in the process see a commit only once
// it is durable. Commit compacts when the journal outgrows both [Options.CompactMin] (1 MiB)
// and twice the size of the parts, so that its length, and so the cost of Open, stays
// proportional to the state's.
//
// # Blobs and garbage collection
//
// Blobs are immutable and shared by every part that names the same bytes. [Dir.Compact] with
// a live function removes the blobs it reports dead, except those PutBlob returned within
// [Options.BlobGrace]. Automatic compaction never removes blobs: it runs inside Commit, where
// calling back into the caller could deadlock.
//
// # Scope and limitations
//
//   - The lock is flock(2) (through github.com/gofrs/flock): advisory, so only processes using
//     this package honour it, and not reliable on network file systems (NFS, SMB), where
//     fsync's guarantees are also weaker. Use a local file system.
//   - A ReadWrite Dir holds the exclusive lock until Close: while a server holds it, a command
//     opening the same directory waits (Open's ctx bounds the wait).
//   - A ReadOnly Dir sees the state as of Open: no writer can run while it holds the lock.
//   - A part is read whole into memory; parts are meant for metadata (at most [MaxPartSize]),
//     blobs for bodies. PutBlob takes the body in memory; [Dir.OpenBlob] serves it from the file.
//   - Durability assumes a file system where fsync of a file and of a directory mean what POSIX
//     and Linux's ext4 and xfs say they do, and a disk that honours flushes. Media corruption
//     of acknowledged records is detected (CRC), not repaired.
package durable
