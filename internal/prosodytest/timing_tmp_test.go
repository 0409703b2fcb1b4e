package prosodytest

import (
	"testing"

	"mellium.im/sasl"
	"time"
)

func TestTimingTmp(t *testing.T) {
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		s, err := Start(Options{})
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		bare, pass := s.NewUser(t)
		t2 := time.Now()
		if _, err := login(s, false, s.Addr(), bare, pass, sasl.ScramSha1); err != nil {
			t.Fatal(err)
		}
		t3 := time.Now()
		if err := s.Restart(); err != nil {
			t.Fatal(err)
		}
		t4 := time.Now()
		s.Stop()
		t5 := time.Now()
		t.Logf("start %v adduser %v restart %v stop %v", t1.Sub(t0), t2.Sub(t1), t4.Sub(t3), t5.Sub(t4))
		_ = t3
	}
}
