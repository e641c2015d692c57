package durable

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrent runs writers, readers and a compactor on one Dir (run it with -race).
// Writers commit increasing counters with a blob each; readers check that what they see never
// goes back and that the blob of what they see exists; the compactor compacts and collects
// blobs all along.
func TestConcurrent(t *testing.T) {
	path := t.TempDir()
	d := openT(t, path, ReadWrite, func(o *Options) { o.CompactMin = 8 << 10; o.BlobGrace = -1 })
	const writers, commits, readers = 8, 60, 3

	var inflightMu sync.Mutex
	inflight := map[string]int{}
	track := func(ref string, delta int) {
		inflightMu.Lock()
		defer inflightMu.Unlock()
		if inflight[ref] += delta; inflight[ref] == 0 {
			delete(inflight, ref)
		}
	}
	// live checks the refs in flight before the committed parts: a commit becomes visible
	// before its ref leaves the in-flight set, so one of the two checks sees it.
	live := func(ref string) bool {
		inflightMu.Lock()
		_, ok := inflight[ref]
		inflightMu.Unlock()
		if ok {
			return true
		}
		for _, name := range d.Parts() {
			if v, err := d.Part(name); err == nil && strings.Contains(string(v), ref) {
				return true
			}
		}
		return false
	}

	var wg, bg sync.WaitGroup
	var done atomic.Bool
	for w := range writers {
		wg.Go(func() {
			for i := 1; i <= commits; i++ {
				body := []byte(fmt.Sprintf("writer %d commit %d", w, i))
				ref := sha(body)
				track(ref, 1)
				if _, err := d.PutBlob(body); err != nil {
					t.Error(err)
					return
				}
				err := d.Commit(map[string][]byte{
					fmt.Sprint("w/", w):    fmt.Appendf(nil, "%d %s", i, ref),
					fmt.Sprint("last/", w): fmt.Appendf(nil, "%d", i),
				})
				track(ref, -1)
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for range readers {
		bg.Go(func() {
			seen := make([]int, writers)
			var seq uint64
			for !done.Load() {
				s := d.Seq()
				if s < seq {
					t.Errorf("Seq went from %d back to %d", seq, s)
				}
				seq = s
				for w := range writers {
					v, err := d.Part(fmt.Sprint("w/", w))
					if err != nil {
						continue // not written yet
					}
					var i int
					var ref string
					fmt.Sscanf(string(v), "%d %s", &i, &ref)
					if i < seen[w] {
						t.Errorf("writer %d: saw %d after %d", w, i, seen[w])
					}
					seen[w] = i
					if _, err := d.ReadBlob(ref); err != nil {
						if again, _ := d.Part(fmt.Sprint("w/", w)); string(again) == string(v) {
							t.Errorf("writer %d commit %d: blob of the current part: %v", w, i, err)
						}
					}
				}
				time.Sleep(100 * time.Microsecond) // leave the two cores to the writers
			}
		})
	}
	bg.Go(func() {
		for !done.Load() {
			if err := d.Compact(live); err != nil {
				t.Error(err)
			}
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()
	done.Store(true)
	bg.Wait()

	t.Logf("%d commits in %d records", writers*commits, d.Seq())
	want := contents(t, d)
	for w := range writers {
		if !strings.Contains(want, fmt.Sprintf("last/%d=%d\n", w, commits)) {
			t.Errorf("writer %d's last commit is missing", w)
		}
	}
	if err := d.Compact(live); err != nil {
		t.Fatal(err)
	}
	n := 0
	for ref := range blobRefs(t, path) {
		if !live(ref) {
			t.Errorf("dead blob %s survived GC", ref)
		}
		n++
	}
	if n != writers {
		t.Errorf("%d blobs after the last GC, want %d (one per writer)", n, writers)
	}
	closeT(t, d)
	if got := contents(t, openT(t, path, ReadOnly)); got != want {
		t.Errorf("after reopen:\n%s\nwant\n%s", got, want)
	}
}

// TestGroupCommit holds the first commit in its write until ten more are queued, and checks
// that those ten are written together, as the second record.
func TestGroupCommit(t *testing.T) {
	d := openT(t, t.TempDir(), ReadWrite)
	inWrite, release := make(chan bool), make(chan bool)
	var once sync.Once
	testHook = func(_ *Dir, point string) {
		if point == "journal-written" {
			once.Do(func() { inWrite <- true; <-release })
		}
	}
	t.Cleanup(func() { testHook = nil })

	var wg sync.WaitGroup
	wg.Go(func() { commitT(t, d, "first", "1") })
	<-inWrite
	for i := range 10 {
		wg.Go(func() { commitT(t, d, fmt.Sprint("k", i), fmt.Sprint(i)) })
	}
	for queued := 0; queued < 10; time.Sleep(time.Millisecond) {
		d.qmu.Lock()
		queued = len(d.queue)
		d.qmu.Unlock()
	}
	close(release)
	wg.Wait()
	if d.Seq() != 2 {
		t.Errorf("11 commits, 10 of them queued together: Seq = %d, want 2 records", d.Seq())
	}
	if got := len(d.Parts()); got != 11 {
		t.Errorf("%d parts, want 11", got)
	}
	d.qmu.Lock()
	defer d.qmu.Unlock()
	if d.leading || len(d.queue) != 0 {
		t.Errorf("after the commits: leading %v, %d queued; want neither", d.leading, len(d.queue))
	}
}
