"""Sign requests with botocore's SigV4 signers and print them as JSON test vectors.

Usage: python3 botocore_vectors.py > botocore_vectors.json
The signing time is fixed, so the output depends only on the botocore version.
"""
import datetime
import json
import sys
from urllib.parse import urlsplit

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 1, 1, 0, 0, 0, tzinfo=datetime.timezone.utc)
botocore.auth.get_current_datetime = lambda *a, **k: NOW

AKID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ=="
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def case(name, auth_cls, service, region, method, url, headers=None, body="", token=None, expires=None):
    creds = Credentials(AKID, SECRET, token)
    if expires is None:
        auth = auth_cls(creds, service, region)
    else:
        auth = auth_cls(creds, service, region, expires=expires)
    req = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    auth.add_auth(req)
    prepared = req.prepare()
    body_out = prepared.body or b""
    if isinstance(body_out, str):
        body_out = body_out.encode()
    return {
        "name": name,
        "signer": auth_cls.__name__,
        "service": service,
        "region": region,
        "method": prepared.method,
        "url": prepared.url,
        "host": urlsplit(prepared.url).netloc,
        "headers": [[k, v] for k, v in prepared.headers.items()],
        "body": body_out.decode(),
        "secret": SECRET,
        "now": NOW.strftime("%Y%m%dT%H%M%SZ"),
    }


A = botocore.auth
cases = [
    case("iam-post", A.SigV4Auth, "iam", "us-east-1", "POST", "https://iam.amazonaws.com/",
         {"Content-Type": FORM}, "Action=ListUsers&Version=2010-05-08"),
    case("sts-post-session-token", A.SigV4Auth, "sts", "us-east-1", "POST", "https://sts.amazonaws.com/",
         {"Content-Type": FORM}, "Action=GetCallerIdentity&Version=2011-06-15", token=TOKEN),
    case("ec2-post-regional", A.SigV4Auth, "ec2", "eu-west-3", "POST", "https://ec2.eu-west-3.amazonaws.com/",
         {"Content-Type": FORM, "X-Custom": "  a   b  c "}, "Action=DescribeRegions&Version=2016-11-15&Filter.1.Name=opt-in-status&Filter.1.Value.1=opted-in"),
    case("ec2-post-signed-content-length", A.SigV4Auth, "ec2", "us-east-1", "POST", "http://127.0.0.1:4566/",
         {"Content-Type": FORM, "Content-Length": "41"}, "Action=DescribeRegions&Version=2016-11-15"),
    case("iam-get-query", A.SigV4Auth, "iam", "us-east-1", "GET",
         "https://iam.amazonaws.com/?Version=2010-05-08&Action=GetUser&UserName=b%C3%B6b%20%2B%2F"),
    case("apigw-path-double-escaped", A.SigV4Auth, "execute-api", "us-east-1", "GET",
         "https://abc.execute-api.us-east-1.amazonaws.com/prod/a%20b/c~d%24"),
    case("s3-put-signed-payload-odd-key", A.S3SigV4Auth, "s3", "us-east-1", "PUT",
         "http://127.0.0.1:4566/bucket/dir/a%20b%2Bc%24%21%28x%29~%3D.txt",
         {"Content-Type": "text/plain", "X-Amz-Meta-Owner": "me", "Content-Length": "11"}, "hello world"),
    case("s3-put-unsigned-payload", A.S3SigV4Auth, "s3", "us-west-2", "PUT",
         "https://bucket.s3.us-west-2.amazonaws.com/k%C3%A9y", {"Content-Type": "application/octet-stream"},
         "data", token=TOKEN),
    case("s3-list-objects", A.S3SigV4Auth, "s3", "us-east-1", "GET",
         "http://localhost:4566/bucket?list-type=2&prefix=a%2Fb&delimiter=%2F&encoding-type=url"),
    case("s3-presign-get", A.S3SigV4QueryAuth, "s3", "us-east-1", "GET",
         "https://bucket.s3.amazonaws.com/photos/cat%20%281%29.jpg", expires=3600),
    case("s3-presign-put-token", A.S3SigV4QueryAuth, "s3", "eu-central-1", "PUT",
         "http://127.0.0.1:4566/bucket/upload.bin?x-id=PutObject", {"Content-Type": "application/octet-stream"},
         token=TOKEN, expires=604800),
    case("sts-presign-eks-token", A.SigV4QueryAuth, "sts", "us-east-1", "GET",
         "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
         {"x-k8s-aws-id": "my-cluster"}, expires=60),
]

json.dump({"botocore": botocore.__version__, "cases": cases}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
