package client

import (
	"os"
	"strings"
)

// langText is an element that may come in several languages (RFC 6121
// §5.2.3: body and subject).
type langText struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

// pickLang chooses the one version to show of a text sent in several
// languages: the one in the user's language (an exact tag first, then the
// same primary language: "de-AT" for "de"), else the one without
// xml:lang, else the first. A version without xml:lang is in the stanza's
// language, stanzaLang. Versions are never joined: that would show a
// reader text they did not ask for as if it were one message.
func pickLang(texts []langText, stanzaLang, userLang string) string {
	if len(texts) == 0 {
		return ""
	}
	user := strings.ToLower(userLang)
	primary, _, _ := strings.Cut(user, "-")
	lang := func(t langText) string { return strings.ToLower(orDefault(t.Lang, stanzaLang)) }
	if user != "" {
		for _, t := range texts {
			if lang(t) == user {
				return t.Text
			}
		}
		for _, t := range texts {
			if p, _, _ := strings.Cut(lang(t), "-"); p == primary {
				return t.Text
			}
		}
	}
	for _, t := range texts {
		if t.Lang == "" {
			return t.Text
		}
	}
	return texts[0].Text
}

// envLang returns the user's language as a BCP 47 tag from the POSIX
// locale variables (LC_ALL, LC_MESSAGES, LANG, in that order of
// precedence): "de_AT.UTF-8" gives "de-AT". "C" and "POSIX" give "".
func envLang(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return ""
		}
		return strings.ReplaceAll(v, "_", "-")
	}
	return ""
}

// defaultLang is envLang of the process environment.
func defaultLang() string { return envLang(os.Getenv) }
