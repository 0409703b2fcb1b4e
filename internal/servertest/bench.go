package servertest

import "testing"

// BenchmarkRestart measures s.Restart: a stop and a start on the same
// ports and data.
func BenchmarkRestart(b *testing.B, s interface{ Restart() error }) {
	for b.Loop() {
		if err := s.Restart(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartStop measures starting a fresh server with start and
// stopping it.
func BenchmarkStartStop[S Stopper](b *testing.B, start func() (S, error)) {
	for b.Loop() {
		s, err := start()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewUser measures making a fresh account on s.
func BenchmarkNewUser(b *testing.B, s interface {
	NewUser(testing.TB) (string, string)
}) {
	for b.Loop() {
		s.NewUser(b)
	}
}
