package lang

import "testing"

func TestDetect(t *testing.T) {
	d := New()
	tests := []struct{ text, want string }{
		{"North Korean troops withdraw from the front after heavy losses, officials say", "en"},
		{"انسحاب القوات من المنطقة بعد خسائر فادحة بحسب مسؤولين", "ar"},
		{"Les troupes nord-coréennes se retirent du front après de lourdes pertes", "fr"},
		{"Nordkoreanische Truppen ziehen sich nach schweren Verlusten von der Front zurück", "de"},
		{"Las tropas norcoreanas se retiran del frente tras sufrir graves pérdidas", "es"},
		{"Северокорейские войска отступили с линии фронта после тяжелых потерь", "ru"},
		{"朝鲜军队在遭受重大损失后从前线撤出", "zh"},
		{"북한군이 큰 손실을 입은 뒤 전선에서 철수했다", "ko"},
		{"Kuzey Kore birlikleri ağır kayıpların ardından cepheden çekildi", "tr"},
		{"Tentera Korea Utara berundur dari barisan hadapan selepas mengalami kerugian besar", "ms"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := d.Detect("", tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHead(t *testing.T) {
	if got := head("one two three", 100); got != "one two three" {
		t.Errorf("short text changed: %q", got)
	}
	if got := head("one two three four", 9); got != "one two" {
		t.Errorf("head = %q, want word boundary", got)
	}
}

// BenchmarkGuess measures one detection on the start of an article.
func BenchmarkGuess(b *testing.B) {
	d := New()
	texts := []string{}
	for _, s := range loadSentences(b) {
		texts = append(texts, s.text)
	}
	text := ""
	for _, t := range texts[:4] {
		text += t + " "
	}
	d.Guess("", text)
	b.ResetTimer()
	for b.Loop() {
		d.Guess("", text)
	}
}

// BenchmarkLoadModel measures reading the compiled-in model, which the
// first detection pays for.
func BenchmarkLoadModel(b *testing.B) {
	for b.Loop() {
		if _, err := loadModel(modelData); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDetectAlwaysAnswers: any text that is not blank gets an answer, a
// language or und, never "": ingest then never falls back to the language
// an extractor guessed (go-trafilatura's guess, which dossier's build
// replaces with a stand-in that answers none; README, "Dependencies").
func TestDetectAlwaysAnswers(t *testing.T) {
	d := New()
	for _, s := range []string{"x", "1234", "🙂🙂", "\x00\x01", "Ã©Ã¨Ã Ã§ Ã¢Ã®Ã´", "日本", ".", "ok ok", "\u200b"} {
		if got := d.Detect("", s); got == "" {
			t.Errorf("Detect(%q) = \"\"", s)
		}
		if got := d.Detect(s, ""); got == "" {
			t.Errorf("Detect(title %q) = \"\"", s)
		}
	}
}
