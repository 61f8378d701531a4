package llm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestEncodeDecodeCues(t *testing.T) {
	cases := []struct {
		name string
		cues []Cue
		want string
	}{
		{"none", nil, ""},
		{"ask and code", []Cue{{AskOptimize, 1, 0, 40}, {CueCode, 1, 52, 300}}, "ask/optimize@1:0+40,code@1:52+248"},
		{"verdict with a space", []Cue{{CueOutcome + ":faster 2.10", 3, 7, 9}}, "outcome:faster%202.10@3:7+2"},
		{"separators in a name", []Cue{{"x,y@z%+", 0, 0, 0}}, "x%2Cy%40z%25%2B@0:0+0"},
		{"ask count", []Cue{{AskPlan + ":3", 0, 5, 6}}, "ask/plan:3@0:5+1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := EncodeCues(c.cues)
			if got != c.want {
				t.Errorf("EncodeCues = %q, want %q", got, c.want)
			}
			back, err := DecodeCues(got)
			if err != nil || !reflect.DeepEqual(back, c.cues) && len(c.cues) > 0 {
				t.Errorf("DecodeCues(%q) = %v, %v; want %v", got, back, err, c.cues)
			}
		})
	}
	for _, bad := range []string{"code", "@1:0+2", "code@1:0", "code@1:0+2x", "code@-1:0+2", "code@1:0+-2", "code@a:b+c", "co%zzde@1:0+2"} {
		if _, err := DecodeCues(bad); err == nil || !strings.Contains(err.Error(), CuesHeader) {
			t.Errorf("DecodeCues(%q): %v", bad, err)
		}
	}
	if _, err := DecodeCues(strings.Repeat("code@0:0+1,", maxCues) + "code@0:0+1"); err == nil {
		t.Error("more than maxCues cues were accepted")
	}
}

func TestCheckCues(t *testing.T) {
	msgs := []Message{{Role: "system", Content: "be brief"}, {Role: "user", Content: "make it fast"}}
	if err := CheckCues(msgs, []Cue{{AskOptimize, 1, 0, 12}, {CueCode, 0, 3, 3}}); err != nil {
		t.Errorf("good cues: %v", err)
	}
	if got := (Cue{AskOptimize, 1, 5, 7}).Text(msgs); got != "it" {
		t.Errorf("Text = %q", got)
	}
	for _, c := range []struct {
		cue  Cue
		want string
	}{
		{Cue{"", 0, 0, 1}, "has no name"},
		{Cue{CueCode, 2, 0, 1}, "message 2 of 2"},
		{Cue{CueCode, 1, 4, 3}, "bytes [4, 3) outside message 1's 12 bytes"},
		{Cue{CueCode, 1, 0, 13}, "bytes [0, 13) outside"},
	} {
		if err := CheckCues(msgs, []Cue{c.cue}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cue, err, c.want)
		}
	}
}

// TestOpenAISendsCues: the client sends cues in CuesHeader, only when a
// request has some, and never in the body.
func TestOpenAISendsCues(t *testing.T) {
	var headers []string
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers = append(headers, r.Header.Get(CuesHeader))
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		writeBody(w, 200, completion("ok", true))
	}))
	defer srv.Close()
	o := newOpenAI(t, OpenAIConfig{BaseURL: srv.URL, Model: "m", Retry: fastRetry})
	cues := []Cue{{AskOptimize, 0, 0, 4}, {CueOutcome + ":faster 2.00", 0, 5, 7}}
	for _, req := range []Request{{Messages: userMsg("make it fast")}, {Messages: userMsg("make it fast"), Cues: cues}} {
		if _, err := o.Chat(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if len(headers) != 2 || headers[0] != "" || headers[1] != EncodeCues(cues) {
		t.Errorf("headers %q", headers)
	}
	if len(bodies) != 2 || bodies[0] != bodies[1] || strings.Contains(bodies[1], "ask/") {
		t.Errorf("the cues changed the body:\n%s\n%s", bodies[0], bodies[1])
	}
}
