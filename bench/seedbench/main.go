// SPDX-License-Identifier: GPL-2.0

// seedbench: the seed post's Writer (goroutine + buffered channel, with the
// stop channel and select of its fix), timed for "make bench" as a
// userspace reference line. It runs on the host, not in the VM.
//
// Usage: seedbench -size BYTES -producers P -count MESSAGES_PER_PRODUCER
// Prints: "msgs N secs S rate R" (R in messages per second).
package main

import (
	"flag"
	"fmt"
	"hash/crc32"
	"sync"
	"time"
)

type Writer struct {
	queue     chan []byte
	stop      chan struct{}
	done      chan struct{}
	processed int64
	crc       uint32
}

func NewWriter() *Writer {
	w := &Writer{
		queue: make(chan []byte, 10),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go w.process()
	return w
}

func (w *Writer) Write(message []byte) {
	w.queue <- message
}

// Stop after what is queued: close the queue, as @dqminh suggested.
func (w *Writer) Stop() {
	close(w.queue)
	<-w.done
}

func (w *Writer) process() {
	defer close(w.done)
	for {
		select {
		case message, ok := <-w.queue:
			if !ok {
				return
			}
			// "do something with message": what a ktlife writer does.
			w.crc = crc32.Update(w.crc, crc32.IEEETable, message)
			w.processed++
		case <-w.stop:
			return
		}
	}
}

func main() {
	size := flag.Int("size", 64, "message size in bytes")
	producers := flag.Int("producers", 1, "producer goroutines, one writer each")
	count := flag.Int("count", 100000, "messages per producer")
	flag.Parse()

	writers := make([]*Writer, *producers)
	for i := range writers {
		writers[i] = NewWriter()
	}
	src := make([]byte, *size)
	for i := range src {
		src[i] = 'p'
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < *producers; i++ {
		wg.Add(1)
		go func(w *Writer) {
			defer wg.Done()
			for j := 0; j < *count; j++ {
				// A copy per message, like write() into a kfifo.
				m := make([]byte, len(src))
				copy(m, src)
				w.Write(m)
			}
		}(writers[i])
	}
	wg.Wait()
	var total int64
	for _, w := range writers {
		w.Stop()
		total += w.processed
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("msgs %d secs %.6f rate %.1f\n", total, secs, float64(total)/secs)
}
