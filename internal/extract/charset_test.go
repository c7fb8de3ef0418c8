package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Article text written for these tests.
const (
	zhText = "北京市政府周一宣布，由于暴雨影响，沿海公路将继续关闭，工人们正在清理道路上的倒树和泥石。市议会将于周四再次开会，决定道路能否在周末前重新开放。"
	ruText = "Власти города заявили в понедельник, что прибрежная дорога останется закрытой, пока рабочие расчищают завалы после шторма. Городской совет снова соберётся в четверг, чтобы решить, можно ли открыть дорогу до выходных."
	jaText = "市当局は月曜日、嵐の後の倒木や土砂を作業員が撤去するまで、海沿いの道路を閉鎖したままにすると発表した。市議会は木曜日に再び会合を開き、週末までに道路を再開できるかどうかを決める。"
	frText = "Les autorités ont annoncé lundi que la route côtière resterait fermée pendant que les équipes dégagent les débris laissés par la tempête. Le conseil municipal se réunira de nouveau jeudi."
)

// charsetPage builds a page in enc whose charset declaration (decl, a meta
// element or "") comes after pad bytes of ASCII markup.
func charsetPage(t *testing.T, enc encoding.Encoding, decl string, pad int, text string) []byte {
	t.Helper()
	head := `<html><head><meta name="description" content="` + strings.Repeat("a", pad) + `">` + decl + `<title>Coast road</title></head>`
	body := `<body><article><h1>Coast road</h1><p>` + text + `</p><p>` + text + `</p></article></body></html>`
	enc8, err := enc.NewEncoder().String(body)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(head + enc8)
}

// TestCharsetSniffing builds pages whose encoding is declared late (after
// the first 1,024 bytes the prescan reads), early, only in the HTTP header,
// or not at all, in Chinese, Russian, Japanese and French.
func TestCharsetSniffing(t *testing.T) {
	for _, tt := range []struct {
		name        string
		enc         encoding.Encoding
		decl        string
		pad         int
		contentType string
		text        string
	}{
		{"gb2312 meta at byte 1232", simplifiedchinese.GBK, `<meta charset="gb2312">`, 1150, "", zhText},
		{"windows-1251 http-equiv late", charmap.Windows1251, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, 2000, "", ruText},
		{"shift_jis meta late", japanese.ShiftJIS, `<meta charset="Shift_JIS">`, 1500, "", jaText},
		{"gb2312 meta early", simplifiedchinese.GBK, `<meta charset="gb2312">`, 10, "", zhText},
		{"iso-8859-1 meta early", charmap.ISO8859_1, `<meta charset="iso-8859-1">`, 10, "", frText},
		{"header beats late meta", charmap.Windows1251, `<meta charset="iso-8859-1">`, 1500, "text/html; charset=windows-1251", ruText},
		{"koi8-r undeclared", charmap.KOI8R, "", 10, "", ruText},
		{"gb2312 undeclared", simplifiedchinese.GBK, "", 10, "", zhText},
	} {
		page := charsetPage(t, tt.enc, tt.decl, tt.pad, tt.text)
		arts, err := Page(page, Input{Name: tt.name, Format: "html", ContentType: tt.contentType})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !strings.Contains(arts[0].Text, tt.text) {
			t.Errorf("%s: text not decoded:\n%.200s", tt.name, arts[0].Text)
		}
	}
}
