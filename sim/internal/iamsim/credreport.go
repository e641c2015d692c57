package iamsim

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The credential report: a CSV of every user's credentials and their use, with the columns
// AWS documents, made at GenerateCredentialReport and kept four hours.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html

type credentialReport struct {
	Generated time.Time
	CSV       string
}

// reportLife is how long a report is served: AWS makes a new one when the last is more than
// four hours old.
const reportLife = 4 * time.Hour

var reportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
	"password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

// reportTime is the report's time format, ISO 8601 with the offset: 2024-05-01T12:00:00+00:00.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// GenerateCredentialReport makes the report at once: the first call answers STARTED, as AWS
// does when it starts one, and later calls COMPLETE until the report is four hours old.
func (h *IAM) GenerateCredentialReport(ctx context.Context, in *iam.GenerateCredentialReportInput) (*iam.GenerateCredentialReportOutput, error) {
	s := h.s
	s.mu.Lock()
	s.gen.Bump()
	defer s.mu.Unlock()
	if r := s.st.Account.Report; r != nil && s.now().Sub(r.Generated) < reportLife {
		return &iam.GenerateCredentialReportOutput{State: types.ReportStateTypeComplete}, nil
	}
	csv, err := s.credentialCSV()
	if err != nil {
		return nil, err
	}
	s.st.Account.Report = &credentialReport{Generated: s.now(), CSV: csv}
	return &iam.GenerateCredentialReportOutput{
		State: types.ReportStateTypeStarted, Description: aws.String("No report exists. Starting a new report generation task"),
	}, nil
}

func (h *IAM) GetCredentialReport(ctx context.Context, in *iam.GetCredentialReportInput) (*iam.GetCredentialReportOutput, error) {
	s := h.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.st.Account.Report
	switch {
	case r == nil:
		return nil, errorf(ReportNotPresent, "Unable to get credential report. Report not present. Call GenerateCredentialReport to generate a new report.")
	case s.now().Sub(r.Generated) >= reportLife:
		return nil, errorf(ReportExpired, "Unable to get credential report. Report expired. Call GenerateCredentialReport to generate a new report.")
	}
	return &iam.GetCredentialReportOutput{Content: []byte(r.CSV), GeneratedTime: aws.Time(r.Generated), ReportFormat: types.ReportFormatTypeTextCsv}, nil
}

// credentialCSV writes the report: the root user first, then the users by name. s.mu is held.
func (s *Store) credentialCSV() (string, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	rows := [][]string{reportColumns}
	na := "N/A"
	root := []string{"<root_account>", "arn:aws:iam::" + s.account + ":root", reportTime(s.created()),
		"not_supported", "no_information", "not_supported", "not_supported", "false",
		"true", reportTime(s.created()), na, na, na, "false", na, na, na, na, "false", na, "false", na}
	rows = append(rows, root)
	for _, u := range sortedValues(s.st.Users) {
		row := []string{u.Name, s.arn("user", u.Path, u.Name), reportTime(u.Created)}
		if u.Login != nil {
			changed := u.Login.Changed
			if changed.IsZero() {
				changed = u.Login.Created
			}
			next := na
			if p := s.st.Account.PasswordPolicy; p != nil && p.MaxAge > 0 {
				next = reportTime(changed.AddDate(0, 0, int(p.MaxAge)))
			}
			row = append(row, "true", "no_information", reportTime(changed), next)
		} else {
			row = append(row, "false", na, na, na)
		}
		mfa := false
		for _, d := range s.st.Account.MFADevices {
			mfa = mfa || d.User == u.ID
		}
		row = append(row, strconv.FormatBool(mfa))
		var keys []*accessKey
		for _, k := range s.ix.keysOf(u.Name) {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b *accessKey) int { return a.Created.Compare(b.Created) })
		for i := range 2 {
			if i >= len(keys) {
				row = append(row, "false", na, na, na, na)
				continue
			}
			k := keys[i]
			if k.LastUsed.IsZero() {
				row = append(row, strconv.FormatBool(k.Active), reportTime(k.Created), na, na, na)
			} else {
				row = append(row, strconv.FormatBool(k.Active), reportTime(k.Created), reportTime(k.LastUsed), k.LastRegion, k.LastService)
			}
		}
		var certs []*signingCert
		for _, c := range s.st.Account.SigningCerts {
			if c.User == u.ID {
				certs = append(certs, c)
			}
		}
		slices.SortFunc(certs, func(a, b *signingCert) int { return a.Uploaded.Compare(b.Uploaded) })
		for i := range 2 {
			if i >= len(certs) {
				row = append(row, "false", na)
			} else {
				row = append(row, strconv.FormatBool(certs[i].Active), reportTime(certs[i].Uploaded))
			}
		}
		rows = append(rows, row)
	}
	if err := w.WriteAll(rows); err != nil {
		return "", err
	}
	return b.String(), nil
}
