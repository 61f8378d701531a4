package baselines

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// The authors' reading of MapCoder's retrieval reply
// (code-opt/strategies/mapcoder.py and agents/prompts/mapcoder_prompts.py
// at 232336a): strip the template lines a model echoes, wrap the text of
// algorithm, description, code and planning in CDATA, parse the XML with
// ElementTree (as is, else inside <root>), and take every <problem>. The
// reply is asked again when that fails, and also when it holds fewer than
// two problems: with one, ElementTree's dict holds the problem itself and
// the loop over it fails.

// echoedLines are the template lines the authors remove from the reply.
var echoedLines = []string{
	"# Identify the optimization techniques that needs to be used to optimize the original code.",
	"# Write a useful tutorial about the above optimization techniques. Provide a high level generic tutorial for optimizing this type of codes. Do not generate code.",
	"# Planning to optimize this code: ",
	"# Let's think step by step to optimize this code in c++ programming language.",
}

// pyStripSpace is Python's str.strip() for the ASCII white space a
// model's reply holds.
func pyStripSpace(s string) string { return strings.Trim(s, " \t\n\r\v\f") }

// replaceTag is replace_tag: CDATA around a tag's content unless it is
// already there.
func replaceTag(text, tag string) string {
	if strings.Contains(text, "<"+tag+"><![CDATA[") && strings.Contains(text, "]]></"+tag+">") {
		return text
	}
	text = strings.ReplaceAll(text, "<"+tag+">", "<"+tag+"><![CDATA[")
	return pyStripSpace(strings.ReplaceAll(text, "</"+tag+">", "]]></"+tag+">"))
}

// etNode is an element as xml_to_dict reads it: its text when it has no
// children, else its children by tag (several of one tag make a list).
type etNode struct {
	tag      string
	text     string
	children []*etNode
}

// parseET parses one XML document as ElementTree.fromstring does: exactly
// one root element, nothing but white space after it.
func parseET(s string) (*etNode, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	var stack []*etNode
	var root *etNode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("junk after document element")
			}
			n := &etNode{tag: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				// ElementTree's text is what precedes the first child.
				if n := stack[len(stack)-1]; len(n.children) == 0 {
					n.text += string(t)
				}
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, errors.New("text outside the document element")
			}
		}
	}
	if root == nil || len(stack) > 0 {
		return nil, errors.New("no complete document element")
	}
	return root, nil
}

// ParseKnowledgePaper reads a retrieval reply as the authors' code does;
// false where their loop asks again. Descriptions and plannings keep
// their white space; a missing <algorithm> reads as "" (theirs stops with
// a KeyError).
func ParseKnowledgePaper(reply string) (Knowledge, bool) {
	r := reply
	for _, l := range echoedLines {
		r = pyStripSpace(strings.ReplaceAll(r, l, ""))
	}
	for _, tag := range []string{"algorithm", "description", "code", "planning"} {
		r = replaceTag(r, tag)
	}
	r = strings.ReplaceAll(strings.ReplaceAll(r, "```xml", ""), "```", "")
	root, err := parseET(r)
	if err != nil {
		if root, err = parseET("<root>\n" + r + "\n</root>"); err != nil {
			if root, err = parseET("<root>\n" + r); err != nil {
				return Knowledge{}, false
			}
		}
	}
	var k Knowledge
	var problems []*etNode
	for _, c := range root.children {
		switch {
		case c.tag == "problem":
			problems = append(problems, c)
		case c.tag == "algorithm" && len(c.children) == 0:
			k.Algorithm = c.text
		}
	}
	if len(problems) < 2 {
		return Knowledge{}, false
	}
	for _, p := range problems {
		var e Exemplar
		var hasD, hasP bool
		for _, c := range p.children {
			switch c.tag {
			case "description":
				e.Description, hasD = c.text, true
			case "planning":
				e.Planning, hasP = c.text, true
			}
		}
		if !hasD || !hasP {
			return Knowledge{}, false
		}
		k.Exemplars = append(k.Exemplars, e)
	}
	return k, true
}
