package s3cmd

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// printMode is which of the AWS CLI's result printers a command uses.
type printMode int

const (
	printProgress printMode = iota // results, and progress lines on a terminal
	printResults                   // --no-progress, or not a terminal
	printErrors                    // --only-show-errors, and streams
	printNothing                   // --quiet
)

// A result is what one transfer, or one warning, prints.
type result struct {
	kind     resultKind
	text     string // success and dry run: "upload: ./f to s3://b/f"; failure: the location and error
	size     int64
	transfer string // "upload", …: the failure line's start
}

type resultKind int

const (
	resultSuccess resultKind = iota
	resultFailure
	resultWarning
	resultDryRun
	resultNone // nothing to print (a skipped submission)
)

// printer prints results as the AWS CLI's ResultPrinter does, in the order the transfers
// were submitted (the AWS CLI's order is the order they complete in), and counts failures
// and warnings for the exit code.
type printer struct {
	env  *Env
	mode printMode

	mu             sync.Mutex
	failed, warned int
	// progress
	start                    time.Time
	expectedFiles, doneFiles int
	expectedBytes, doneBytes int64
	final                    bool
	progressLen              int
}

func newPrinter(env *Env, mode printMode) *printer {
	return &printer{env: env, mode: mode, start: time.Now()}
}

func (p *printer) print(r result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r.kind {
	case resultNone:
		return
	case resultWarning:
		p.warned++
		if p.mode != printNothing {
			p.line(true, r.text)
		}
		return
	case resultDryRun:
		if p.mode != printNothing {
			p.line(false, "(dryrun) "+r.text)
		}
		return
	}
	p.doneFiles++
	p.doneBytes += r.size
	switch r.kind {
	case resultSuccess:
		if p.mode == printProgress || p.mode == printResults {
			p.line(false, r.text)
		}
	case resultFailure:
		p.failed++
		if p.mode != printNothing {
			p.line(true, r.text)
		}
	}
	if p.mode == printProgress && p.remaining() {
		p.progress()
	}
}

// line prints a result line, padded over the progress line it replaces.
func (p *printer) line(toErr bool, s string) {
	if len(s) < p.progressLen {
		s += strings.Repeat(" ", p.progressLen-len(s))
	}
	p.progressLen = 0
	w := p.env.Out
	if toErr {
		w = p.env.Err
	}
	fmt.Fprintln(w, s)
}

func (p *printer) remaining() bool { return !p.final || p.doneFiles != p.expectedFiles }

// progress prints the AWS CLI's progress line, ending in a carriage return.
func (p *printer) progress() {
	remaining := fmt.Sprint(p.expectedFiles - p.doneFiles)
	if !p.final {
		remaining = "~" + remaining
	}
	var s string
	if p.expectedBytes > 0 {
		expected := HumanSize(p.expectedBytes)
		if !p.final {
			expected = "~" + expected
		}
		speed := int64(float64(p.doneBytes) / max(time.Since(p.start).Seconds(), 1e-3))
		s = fmt.Sprintf("Completed %s/%s (%s/s) with %s file(s) remaining", HumanSize(p.doneBytes), expected, HumanSize(speed), remaining)
	} else {
		s = fmt.Sprintf("Completed %d file(s) with %s file(s) remaining", p.doneFiles, remaining)
	}
	if !p.final {
		s += " (calculating...)"
	}
	if len(s) < p.progressLen {
		s += strings.Repeat(" ", p.progressLen-len(s))
	}
	p.progressLen = len(s)
	fmt.Fprint(p.env.Out, s+"\r")
}

// queued counts a submitted transfer of size bytes (0 when unknown).
func (p *printer) queued(size int64) {
	p.mu.Lock()
	p.expectedFiles++
	p.expectedBytes += size
	p.mu.Unlock()
}

// allQueued says every transfer is queued: the totals are final.
func (p *printer) allQueued() {
	p.mu.Lock()
	p.final = true
	p.mu.Unlock()
}

// fatal prints an error that ended the command ("fatal error: …").
func (p *printer) fatal(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failed++
	if p.mode != printNothing {
		p.line(true, "fatal error: "+errorText(err))
	}
}

// finish clears a progress line left on the terminal.
func (p *printer) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.progressLen > 0 {
		p.line(false, "")
	}
}

// pool runs transfers, at most maxConcurrency at a time, and hands their results to the
// printer in the order they were submitted.
type pool struct {
	ctx     context.Context
	sem     chan struct{}
	items   chan chan result
	done    chan struct{}
	printer *printer
}

func newPool(ctx context.Context, p *printer) *pool {
	pl := &pool{ctx: ctx, sem: make(chan struct{}, maxConcurrency), items: make(chan chan result, 1<<16), done: make(chan struct{}), printer: p}
	go func() {
		defer close(pl.done)
		for it := range pl.items {
			pl.printer.print(<-it)
		}
	}()
	return pl
}

// warn queues a warning.
func (pl *pool) warn(msg string) { pl.put(result{kind: resultWarning, text: msg}) }

// put queues a result known now.
func (pl *pool) put(r result) {
	ch := make(chan result, 1)
	ch <- r
	pl.items <- ch
}

// run queues fn's result, fn running when a slot is free.
func (pl *pool) run(size int64, fn func() result) {
	pl.printer.queued(size)
	ch := make(chan result, 1)
	pl.items <- ch
	pl.sem <- struct{}{}
	go func() {
		defer func() { <-pl.sem }()
		ch <- fn()
	}()
}

// wait waits for every queued result to be printed.
func (pl *pool) wait() {
	close(pl.items)
	<-pl.done
}
