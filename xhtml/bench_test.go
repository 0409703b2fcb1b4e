package xhtml

import "testing"

// reportRate adds messages per second to a benchmark's output.
func reportRate(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "msgs/s")
	}
}

func BenchmarkParse(b *testing.B) {
	inner := viaClient(b, gajimSample)
	b.SetBytes(int64(len(inner)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(inner); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func BenchmarkStyling(b *testing.B) {
	body := "> quoted *text*\nreply with *bold*, _emphasis_ and `code`, see https://example.org/x"
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if len(Styling(body)) == 0 {
			b.Fatal("no spans")
		}
	}
	reportRate(b)
}

func BenchmarkFromStyling(b *testing.B) {
	markup := "> quoted *text*\nreply with *bold*, _emphasis_ and `code`"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromStyling(markup); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func BenchmarkAdaptColor(b *testing.B) {
	for _, depth := range []struct {
		name string
		d    Depth
	}{{"truecolor", TrueColor}, {"256", Colors256}, {"16", Colors16}} {
		b.Run(depth.name, func(b *testing.B) {
			for b.Loop() {
				if AdaptColor("#ffffff", "#fdf6e3", depth.d) == "" {
					b.Fatal("no colour")
				}
			}
		})
	}
}
