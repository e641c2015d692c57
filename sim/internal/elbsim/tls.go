package elbsim

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/awsxlab/awsx/sim/internal/core"
)

// HTTPS and TLS listeners: their certificates — IAM server certificates of the account; ACM
// is not simulated, so no ACM certificate exists — and AWS's predefined security policies.

// defaultSSLPolicy is the security policy of an HTTPS or TLS listener created without one
// through the API (the console's default is another).
const defaultSSLPolicy = "ELBSecurityPolicy-2016-08"

// maxCertificates is AWS's quota of certificates a load balancer's listener takes, the
// default one included.
const maxCertificates = 25

// The ciphers of the security policies, in AWS's order of priority.
var (
	tls13Ciphers = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
	// classic is ELBSecurityPolicy-2016-08's list.
	classic = []string{
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
		"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
		"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
		"AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
	}
)

// cipher selections of the classic list.
func pick(keep func(c string) bool) []string {
	var out []string
	for _, c := range classic {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

func noSHA1(c string) bool   { return !strings.HasSuffix(c, "-SHA") }
func ecdhe(c string) bool    { return strings.HasPrefix(c, "ECDHE-") }
func ecdheGCM(c string) bool { return ecdhe(c) && strings.Contains(c, "-GCM-") }
func all(string) bool        { return true }

// sslPolicy is one of AWS's predefined security policies.
type sslPolicy struct {
	Name      string
	Protocols []string
	Ciphers   []string
}

// sslPolicies are AWS's predefined security policies for HTTPS and TLS listeners, with their
// protocols and ciphers (the ALB User Guide, "Security policies for your Application Load
// Balancer"; the post-quantum "PQ" policies differ from their namesakes in key exchange
// only, which DescribeSSLPolicies does not show). Pinned by TestELBHTTPSListeners.
var sslPolicies = func() []sslPolicy {
	tls13 := func(extra []string) []string { return append(slices.Clone(tls13Ciphers), extra...) }
	fips := append([]string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}, pick(func(c string) bool { return ecdhe(c) && noSHA1(c) })...)
	v13, v12, v11, v10 := "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"
	ps := []sslPolicy{
		{"ELBSecurityPolicy-TLS13-1-2-2021-06", []string{v12, v13}, tls13(pick(func(c string) bool { return ecdhe(c) && noSHA1(c) }))},
		{"ELBSecurityPolicy-TLS13-1-2-Res-2021-06", []string{v12, v13}, tls13(pick(ecdheGCM))},
		{"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", []string{v12, v13}, tls13(pick(noSHA1))},
		{"ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", []string{v12, v13}, tls13(pick(all))},
		{"ELBSecurityPolicy-TLS13-1-1-2021-06", []string{v11, v12, v13}, tls13(pick(all))},
		{"ELBSecurityPolicy-TLS13-1-0-2021-06", []string{v10, v11, v12, v13}, tls13(pick(all))},
		{"ELBSecurityPolicy-TLS13-1-3-2021-06", []string{v13}, tls13(nil)},
		{"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", []string{v12, v13}, fips},
		{"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", []string{v13}, fips[:2]},
		{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", []string{v12}, pick(all)},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", []string{v12}, pick(noSHA1)},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", []string{v11, v12}, pick(all)},
		{"ELBSecurityPolicy-TLS-1-0-2015-04", []string{v10, v11, v12}, append(pick(all), "DES-CBC3-SHA")},
		{"ELBSecurityPolicy-2016-08", []string{v10, v11, v12}, pick(all)},
		{"ELBSecurityPolicy-2015-05", []string{v10, v11, v12}, pick(all)}, // "identical to ELBSecurityPolicy-2016-08"
		{"ELBSecurityPolicy-FS-1-2-Res-2020-10", []string{v12}, pick(ecdheGCM)},
		{"ELBSecurityPolicy-FS-1-2-Res-2019-08", []string{v12}, pick(func(c string) bool { return ecdhe(c) && noSHA1(c) })},
		{"ELBSecurityPolicy-FS-1-2-2019-08", []string{v12}, pick(ecdhe)},
		{"ELBSecurityPolicy-FS-1-1-2019-08", []string{v11, v12}, pick(ecdhe)},
		{"ELBSecurityPolicy-FS-2018-06", []string{v10, v11, v12}, pick(ecdhe)},
	}
	for _, base := range []string{"TLS13-1-2", "TLS13-1-2-Res", "TLS13-1-2-Ext1", "TLS13-1-2-Ext2", "TLS13-1-0", "TLS13-1-3"} {
		i := slices.IndexFunc(ps, func(p sslPolicy) bool { return p.Name == "ELBSecurityPolicy-"+base+"-2021-06" })
		ps = append(ps, sslPolicy{"ELBSecurityPolicy-" + base + "-PQ-2025-09", ps[i].Protocols, ps[i].Ciphers})
	}
	return ps
}()

// checkSSLPolicy refuses a security policy that is not one of AWS's.
func checkSSLPolicy(name string) error {
	if name != "" && !slices.ContainsFunc(sslPolicies, func(p sslPolicy) bool { return p.Name == name }) {
		return errorf(SSLPolicyNotFound, "SSL policy '%s' not found", name)
	}
	return nil
}

// Certificates reports whether the account has the IAM server certificate an ARN names
// (IAM's GetServerCertificate). The simulator passes one that asks IAM through its door as
// the account: ELB reads the certificate as its service-linked role.
type Certificates func(ctx context.Context, arn string) (bool, error)

// ResolveCertificates sets how IAM server certificates are looked up; without it no
// certificate exists. Call it before the store serves requests.
func (s *Store) ResolveCertificates(f Certificates) { s.certs = f }

// checkCertificates refuses a certificate the account does not have: an IAM server
// certificate IAM does not know, and any ACM certificate (ACM is not simulated). It reads IAM,
// so it runs before the store's lock is taken.
func (s *Store) checkCertificates(ctx context.Context, certs []types.Certificate) error {
	for _, c := range certs {
		a := aws.ToString(c.CertificateArn)
		notFound := errorf(CertificateNotFound, "Certificate '%s' not found", a)
		if !strings.HasPrefix(a, "arn:aws:iam::"+s.account+":server-certificate/") || s.certs == nil {
			return notFound
		}
		ok, err := s.certs(ctx, a)
		if err != nil {
			return core.Errorf(core.InternalError, "reading the certificate %s from IAM: %v", a, err)
		}
		if !ok {
			return notFound
		}
	}
	return nil
}

// DescribeSSLPolicies lists AWS's predefined security policies, or the ones named.
func (h *ELB) DescribeSSLPolicies(ctx context.Context, in *elb.DescribeSSLPoliciesInput) (*elb.DescribeSSLPoliciesOutput, error) {
	if t := string(in.LoadBalancerType); t != "" && t != "application" && t != "network" {
		return nil, errorf(ValidationError, "1 validation error detected: Value '%s' at 'loadBalancerType' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]", t)
	}
	var picked []sslPolicy
	if len(in.Names) == 0 {
		picked = sslPolicies
	}
	for _, n := range in.Names {
		i := slices.IndexFunc(sslPolicies, func(p sslPolicy) bool { return p.Name == n })
		if i < 0 {
			return nil, errorf(SSLPolicyNotFound, "SSL policy '%s' not found", n)
		}
		picked = append(picked, sslPolicies[i])
	}
	from, to, next, err := page(orderKeys(len(picked)), in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeSSLPoliciesOutput{SslPolicies: []types.SslPolicy{}}
	for _, p := range picked[from:to] {
		sp := types.SslPolicy{Name: aws.String(p.Name), SslProtocols: slices.Clone(p.Protocols), SupportedLoadBalancerTypes: []string{"application", "network"}}
		for i, c := range p.Ciphers {
			sp.Ciphers = append(sp.Ciphers, types.Cipher{Name: aws.String(c), Priority: aws.Int32(int32(i + 1))})
		}
		out.SslPolicies = append(out.SslPolicies, sp)
	}
	if next != "" {
		out.NextMarker = aws.String(next)
	}
	return out, nil
}

// certificatesOut is a listener's certificates as DescribeListenerCertificates answers them:
// the default one first, marked so.
func certificatesOut(l *listener) []types.Certificate {
	out := []types.Certificate{}
	for i, c := range append(slices.Clone(l.Certificates), l.Extra...) {
		out = append(out, types.Certificate{CertificateArn: aws.String(c), IsDefault: aws.Bool(i == 0 && len(l.Certificates) > 0)})
	}
	return out
}

// AddListenerCertificates adds certificates to an HTTPS or TLS listener's list (for SNI).
func (h *ELB) AddListenerCertificates(ctx context.Context, in *elb.AddListenerCertificatesInput) (*elb.AddListenerCertificatesOutput, error) {
	s := h.s
	if len(in.Certificates) == 0 {
		return nil, errorf(ValidationError, "A certificate must be specified")
	}
	if err := s.checkCertificates(ctx, in.Certificates); err != nil {
		return nil, err
	}
	var out []types.Certificate
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		l, err := findListener(r, aws.ToString(in.ListenerArn))
		if err != nil {
			return false, err
		}
		if l.Protocol != "HTTPS" && l.Protocol != "TLS" {
			return false, errorf(ValidationError, "Certificates can only be added to HTTPS and TLS listeners")
		}
		extra := slices.Clone(l.Extra)
		for _, c := range in.Certificates {
			a := aws.ToString(c.CertificateArn)
			if !slices.Contains(extra, a) && !slices.Contains(l.Certificates, a) {
				extra = append(extra, a)
			}
			out = append(out, types.Certificate{CertificateArn: aws.String(a), IsDefault: aws.Bool(false)})
		}
		if len(l.Certificates)+len(extra) > maxCertificates {
			return false, errorf(TooManyCertificates, "You've reached the limit on the number of certificates per load balancer")
		}
		l.Extra = extra
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.AddListenerCertificatesOutput{Certificates: out}, nil
}

// RemoveListenerCertificates removes certificates from a listener's list; the default one
// stays (ModifyListener replaces it).
func (h *ELB) RemoveListenerCertificates(ctx context.Context, in *elb.RemoveListenerCertificatesInput) (*elb.RemoveListenerCertificatesOutput, error) {
	s := h.s
	if len(in.Certificates) == 0 {
		return nil, errorf(ValidationError, "A certificate must be specified")
	}
	err := s.write(core.RegionFrom(ctx), func(r *regionState) (bool, error) {
		l, err := findListener(r, aws.ToString(in.ListenerArn))
		if err != nil {
			return false, err
		}
		extra := slices.Clone(l.Extra)
		for _, c := range in.Certificates {
			a := aws.ToString(c.CertificateArn)
			if slices.Contains(l.Certificates, a) || aws.ToBool(c.IsDefault) {
				return false, errorf(OperationNotPermitted, "The default certificate of a listener cannot be removed; use ModifyListener to replace it")
			}
			extra = slices.DeleteFunc(extra, func(e string) bool { return e == a })
		}
		l.Extra = extra
		if len(l.Extra) == 0 {
			l.Extra = nil
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return &elb.RemoveListenerCertificatesOutput{}, nil
}

// DescribeListenerCertificates lists a listener's certificates, the default one first.
func (h *ELB) DescribeListenerCertificates(ctx context.Context, in *elb.DescribeListenerCertificatesInput) (*elb.DescribeListenerCertificatesOutput, error) {
	var certs []types.Certificate
	err := h.s.read(core.RegionFrom(ctx), func(r *regionState) error {
		l, err := findListener(r, aws.ToString(in.ListenerArn))
		if err == nil {
			certs = certificatesOut(l)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	from, to, next, err := page(orderKeys(len(certs)), in.Marker, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeListenerCertificatesOutput{Certificates: certs[from:to]}
	if next != "" {
		out.NextMarker = aws.String(next)
	}
	return out, nil
}

// orderKeys are sorted keys for a list of n items to be paged in its own order (n < 676).
func orderKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = string(rune('a'+i/26)) + string(rune('a'+i%26))
	}
	return keys
}
