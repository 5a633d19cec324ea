package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/linnworks-go/linnworks/authn"
)

func authCommand() *command {
	return &command{
		name:     "auth",
		synopsis: "authorize and print a summary of the session",
		help: `Usage: linnworks auth [--show-token] [--json]

Exchanges the installation token for a session (Auth_AuthorizeByApplication) and prints
where the session lives: server, locality, user name, entity id. The session token is
redacted unless --show-token is given.

Credentials come from LINNWORKS_APPLICATION_ID, LINNWORKS_APPLICATION_SECRET and
LINNWORKS_TOKEN; with none of them set the in-process mock answers.

Exit codes: 0 authorized, 1 the authorization was refused, 2 usage error.

Example:
  linnworks auth
  linnworks auth --json --show-token
`,
		run: runAuth,
	}
}

// sessionSummary is what auth prints: where the session lives and whose it is. The other
// secrets of the authorization answer (AccessToken, DatabasePassword, …) are left out.
type sessionSummary struct {
	Server   string `json:"server"`
	Locality string `json:"locality,omitempty"`
	UserName string `json:"userName,omitempty"`
	Email    string `json:"email,omitempty"`
	UserID   string `json:"userId,omitempty"`
	EntityID string `json:"entityId,omitempty"`
	TTL      int32  `json:"ttl,omitempty"`
	Token    string `json:"token,omitempty"`
}

func runAuth(ctx context.Context, s *streams, args []string) error {
	c := authCommand()
	fs := newFlagSet(c.name)
	showToken := fs.Bool("show-token", false, "print the session token (a secret: it opens the account until it expires)")
	asJSON := fs.Bool("json", false, "print a JSON object instead of lines")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long (0: no limit)")
	var cf credFlags
	cf.register(fs)
	pos, err := parseArgs(c, fs, s, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr("takes no arguments, got: %s", strings.Join(pos, " "))
	}
	be, err := newBackend(s, &cf)
	if err != nil {
		return err
	}
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	sess, err := be.src.Session(ctx)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return failure(fmt.Errorf("no answer in time (see --timeout): %w", err))
		}
		return failure(err)
	}
	sum := summarize(sess)
	if *showToken {
		sum.Token = sess.Token
	}
	if *asJSON {
		out, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		return writeJSON(s.stdout, out, true)
	}
	tw := tabwriter.NewWriter(s.stdout, 0, 4, 2, ' ', 0)
	for _, row := range [][2]string{
		{"server", sum.Server},
		{"locality", sum.Locality},
		{"user name", sum.UserName},
		{"email", sum.Email},
		{"user id", sum.UserID},
		{"entity id", sum.EntityID},
	} {
		if row[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
		}
	}
	if sum.TTL > 0 {
		fmt.Fprintf(tw, "ttl:\t%d\n", sum.TTL)
	}
	token := "[redacted] (--show-token prints it)"
	if *showToken {
		token = sess.Token
	}
	fmt.Fprintf(tw, "token:\t%s\n", token)
	return tw.Flush()
}

func summarize(sess authn.Session) sessionSummary {
	bs := sess.BaseSession
	sum := sessionSummary{Server: sess.Server}
	if bs.Locality != nil {
		sum.Locality = string(*bs.Locality)
	}
	if bs.UserName != nil {
		sum.UserName = *bs.UserName
	}
	if bs.Email != nil {
		sum.Email = *bs.Email
	}
	if bs.UserId != nil {
		sum.UserID = bs.UserId.String()
	}
	if bs.EntityId != nil {
		sum.EntityID = bs.EntityId.String()
	}
	if bs.TTL != nil {
		sum.TTL = *bs.TTL
	}
	return sum
}
