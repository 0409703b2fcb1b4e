package ui

import (
	"runtime"
	"testing"
)

// BenchmarkRosterMemory1000 reports the heap a UI (with its state) holds
// once a 1,000-contact roster with presence is loaded and drawn.
func BenchmarkRosterMemory1000(b *testing.B) {
	var total float64
	for range b.N {
		before := heapInUse()
		u, host := syncUI(b, 120, 40)
		bigRoster(host, 1000)
		frameAndDraw(u)
		after := heapInUse()
		total += float64(after) - float64(before)
		runtime.KeepAlive(u)
		runtime.KeepAlive(host)
	}
	b.ReportMetric(total/float64(b.N)/1024, "heap-KiB")
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
