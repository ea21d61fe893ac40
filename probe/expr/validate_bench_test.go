package expr

import (
	"testing"

	"github.com/jsonprobe/jsonprobe/internal/fixture"
)

func BenchmarkValidate(b *testing.B) {
	doc := string(fixture.Document(10 << 20))
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if err := Validate(doc); err != nil {
			b.Fatal(err)
		}
	}
}
