package redact_test

import (
	"fmt"

	"github.com/jsonprobe/jsonprobe/redact"
)

func ExampleURL() {
	fmt.Println(redact.URL("https://bob:hunter2@host/health?api_key=abc&v=1"))
	fmt.Println(redact.URL("https://ghp_abc123@host/"))
	fmt.Println(redact.URL("https://kuma.example/api/push/AbC123?status=up"))
	// Output:
	// https://bob:***@host/health?api_key=***&v=1
	// https://***@host/
	// https://kuma.example/api/push/***?status=up
}

func ExampleSecrets() {
	var s redact.Secrets
	s.BasicAuth("alice:pa55")
	s.URL("https://api.example.com/health?token=t1")
	s.Header("Authorization", "Bearer tok-42")
	fmt.Printf("%q\n", s.List())
	// Output:
	// ["alice:pa55" "YWxpY2U6cGE1NQ==" "pa55" "t1" "Bearer tok-42" "tok-42"]
}

func ExampleRedactor_JSON() {
	r := redact.New("ab/cd", "3456")
	fmt.Println(r.JSON(`{"auth":"Bearer ab\/cd","echo":"\u0061b/cd","pin":123456,"n":1}`))
	// Output:
	// {"auth":"Bearer ***","echo":"***","pin":"12***","n":1}
}

func ExampleRedactor_Message() {
	r := redact.New("hunter2")
	fmt.Println(r.Message("GET https://u:pw@host/?sig=s1: password hunter2 refused"))
	// Output:
	// GET https://u:***@host/?sig=***: password *** refused
}
