package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/awsxlab/awsx/sim"
)

// NewCmdSimInbox returns `awsx sim inbox`, which reads the mail SNS sent to email
// subscribers of the embedded simulator, and follows a confirmation mail's link.
func NewCmdSimInbox(f *Factory) *cobra.Command {
	streams := f.IO
	var confirm int
	cmd := &cobra.Command{
		Use:   "inbox [ADDRESS] [--confirm N]",
		Short: "Read the mail SNS sent to an email address; confirm a subscription",
		Long: `Read the mail SNS sent to an email address of the embedded simulator (or, with
--endpoint-url URL, of awsx sim serve's): the confirmation
request of an email subscription, and each message published to a topic it is subscribed
to. Without an address, list the addresses that have mail.

  awsx sim inbox
  awsx sim inbox ana@example.com
  awsx sim inbox ana@example.com --confirm 1

--confirm N follows the "Confirm subscription" link of mail N, as clicking it would: the
subscription is confirmed and gets the topic's messages from then on. The same is done
with the token the mail prints:

  awsx sns confirm-subscription --topic-arn ARN --token TOKEN`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if confirm != 0 && len(args) == 0 {
				return fmt.Errorf("sim inbox: --confirm needs the ADDRESS whose mail it follows")
			}
			admin, err := adminOf(cmd.Context(), cmd, f)
			if err != nil {
				return err
			}
			if admin != nil {
				return readInbox(cmd.Context(), streams, servedMail{admin}, args, confirm)
			}
			return onEmbedded(cmd.Context(), f, "sim inbox", func(c *sim.Cloud) error {
				return readInbox(cmd.Context(), streams, cloudMail{c}, args, confirm)
			})
		},
	}
	cmd.Flags().IntVar(&confirm, "confirm", 0, "follow the confirmation link of mail `N`")
	return cmd
}

// readInbox is sim inbox on box: the addresses that have mail, an address's mail, or (confirm
// is not 0) the confirmation of mail confirm.
func readInbox(ctx context.Context, streams *IO, box mailbox, args []string, confirm int) error {
	if len(args) == 0 {
		addrs, err := box.inboxes(ctx)
		if err != nil {
			return err
		}
		if len(addrs) == 0 {
			fmt.Fprintln(streams.Out, "No mail: no email subscription has been sent anything.")
		}
		for _, a := range addrs {
			mails, err := box.inbox(ctx, a)
			if err != nil {
				return err
			}
			n := len(mails)
			fmt.Fprintf(streams.Out, "%s\t%d %s\n", a, n, plural(n, "message", "messages"))
		}
		return nil
	}
	if confirm != 0 {
		arn, err := box.confirm(ctx, args[0], confirm)
		if err != nil {
			return err
		}
		// As AWS's confirmation page words it.
		fmt.Fprintf(streams.Out, "Subscription confirmed!\n\nYou have successfully subscribed.\n\nYour subscription's id is:\n%s\n", arn)
		return nil
	}
	mails, err := box.inbox(ctx, args[0])
	if err != nil {
		return err
	}
	if len(mails) == 0 {
		fmt.Fprintf(streams.Out, "No mail for %s.\n", args[0])
	}
	for _, m := range mails {
		printMail(streams, m)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func printMail(streams *IO, m sim.Mail) {
	fmt.Fprintf(streams.Out, "--- %d ---\nDate: %s\nFrom: %s\nTo: %s\nSubject: %s\n\n%s\n", m.N, stamp(m.Date), m.From, m.To, m.Subject, m.Body)
	if m.Kind == "SubscriptionConfirmation" {
		fmt.Fprintf(streams.Out, "\n(To confirm: awsx sim inbox %s --confirm %s, or\n awsx sns confirm-subscription --topic-arn %s --token %s)\n",
			m.To, strconv.Itoa(m.N), m.TopicARN, m.Token)
	}
	fmt.Fprintln(streams.Out)
}
