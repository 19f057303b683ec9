#!/usr/bin/env python3
"""Writes events.json, the CloudTrail fixture of the SQL tests (tests/sql/*.test).

Deterministic: rerun after editing and commit both files. Every event is written by hand
below (no randomness) so test expectations can be derived by reading this file.
"""
import json

A1, A2, A3 = "111111111111", "222222222222", "333333333333"


def iam_user(name, account=A1, key="AKIAALICE0000000001", mfa=None):
    u = {"type": "IAMUser", "principalId": "AIDA" + name.upper()[:8].ljust(8, "X"),
         "arn": f"arn:aws:iam::{account}:user/{name}", "accountId": account,
         "accessKeyId": key, "userName": name}
    if mfa is not None:
        u["sessionContext"] = {"attributes": {"creationDate": "2024-03-01T08:00:00Z",
                                              "mfaAuthenticated": mfa}}
    return u


def assumed_role(role, session, account=A1, key="ASIAROLE000000000001", mfa="false"):
    return {"type": "AssumedRole", "principalId": f"AROAROLE{role.upper()[:4]}:{session}",
            "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
            "accountId": account, "accessKeyId": key,
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": f"AROAROLE{role.upper()[:4]}",
                                  "arn": f"arn:aws:iam::{account}:role/{role}",
                                  "accountId": account, "userName": role},
                "webIdFederationData": {},
                "attributes": {"creationDate": "2024-03-01T07:00:00Z", "mfaAuthenticated": mfa}}}


def root(account=A1):
    return {"type": "Root", "principalId": account, "arn": f"arn:aws:iam::{account}:root",
            "accountId": account, "accessKeyId": "ASIAROOT000000000001"}


def service(invoked_by):
    return {"type": "AWSService", "invokedBy": invoked_by}


n = 0


def event(time, source, name, identity, ip="198.51.100.10", region="us-east-1", account=A1,
          ua="aws-cli/2.15.0 Python/3.11", read_only=None, params=None, response=None,
          error=None, message=None, resources=None, extra=None, event_type="AwsApiCall",
          category="Management", management=True, tls=True, additional=None):
    global n
    n += 1
    e = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": time,
         "eventSource": source, "eventName": name, "awsRegion": region,
         "sourceIPAddress": ip}
    if ua is not None:
        e["userAgent"] = ua
    if error is not None:
        e["errorCode"] = error
    if message is not None:
        e["errorMessage"] = message
    e["requestParameters"] = params
    e["responseElements"] = response
    if additional is not None:
        e["additionalEventData"] = additional
    e["requestID"] = f"req-{n:04d}"
    e["eventID"] = f"00000000-0000-4000-8000-{n:012d}"
    if read_only is not None:
        e["readOnly"] = read_only
    if resources is not None:
        e["resources"] = resources
    e["eventType"] = event_type
    if management is not None:
        e["managementEvent"] = management
    e["recipientAccountId"] = account
    e["eventCategory"] = category
    if tls:
        e["tlsDetails"] = {"tlsVersion": "TLSv1.3" if n % 3 else "TLSv1.2",
                           "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": source.replace("amazonaws.com", "") + region + ".amazonaws.com"}
    if extra:
        e.update(extra)
    return e


def s3_resources(bucket, key=None, account=A1):
    r = []
    if key is not None:
        r.append({"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
    r.append({"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"})
    return r


alice = iam_user("alice", key="AKIAALICE0000000001")
bob = iam_user("bob", key="AKIABOB00000000000002")
carol = iam_user("carol", account=A2, key="AKIACAROL0000000003")
alice2 = iam_user("Alice", account=A2, key="AKIAALICE0000000004")  # looks like alice, is not
app = assumed_role("app-role", "i-0abc", key="ASIAAPP0000000000001")
deploy = assumed_role("deploy", "github-actions", account=A2, key="ASIADEPLOY0000000002", mfa="true")
juergen = iam_user("jürgen", account=A3, key="AKIAJUERGEN00000005")
sg_open = {"groupId": "sg-0001", "ipPermissions": {"items": [
    {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
     "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}
sg_private = {"groupId": "sg-0002", "ipPermissions": {"items": [
    {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
     "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]}}]}}
sg_v6 = {"groupId": "sg-0003", "ipPermissions": {"items": [
    {"ipProtocol": "-1", "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]}}]}}
login_ok_mfa = {"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No", "MFAUsed": "Yes"}
login_no_mfa = {"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No", "MFAUsed": "No"}

events = [
    # Day 1: 2024-02-29 (leap day)
    event("2024-02-29T09:15:00Z", "signin.amazonaws.com", "ConsoleLogin", iam_user("alice", mfa="true"),
          ip="203.0.113.5", ua="Mozilla/5.0 (Macintosh)", response={"ConsoleLogin": "Success"},
          additional=login_ok_mfa, category="Management"),
    event("2024-02-29T09:20:00Z", "s3.amazonaws.com", "ListBuckets", alice, ip="203.0.113.5",
          read_only=True, params={"Host": "s3.amazonaws.com"}),
    event("2024-02-29T12:00:00Z", "ec2.amazonaws.com", "DescribeInstances", app, ip="10.0.1.15",
          region="us-west-2", read_only=True, params={"maxResults": 100},
          extra={"vpcEndpointId": "vpce-0001"}),
    event("2024-02-29T23:59:59.999Z", "ec2.amazonaws.com", "DescribeInstances", app, ip="10.0.1.15",
          region="eu-west-1", read_only=True, params={"instancesSet": {"items": [{"instanceId": "i-1"}]}},
          error="Client.UnauthorizedOperation", message="You are not authorized to perform this operation."),
    # Day 2: 2024-03-01
    event("2024-03-01T00:00:00Z", "signin.amazonaws.com", "ConsoleLogin", iam_user("bob"),
          ip="192.0.2.77", ua="Mozilla/5.0 (Windows NT 10.0)", response={"ConsoleLogin": "Success"},
          additional=login_no_mfa),
    event("2024-03-01T00:05:00Z", "signin.amazonaws.com", "ConsoleLogin", iam_user("bob"),
          ip="192.0.2.77", ua="Mozilla/5.0 (Windows NT 10.0)", response={"ConsoleLogin": "Failure"},
          error="Failed authentication", message="Failed authentication", additional=login_no_mfa),
    event("2024-03-01T01:00:00Z", "signin.amazonaws.com", "ConsoleLogin", root(),
          ip="198.51.100.200", ua="Mozilla/5.0 (X11; Linux)", response={"ConsoleLogin": "Success"},
          additional=login_no_mfa),
    event("2024-03-01T01:10:00Z", "cloudtrail.amazonaws.com", "StopLogging", root(), ip="198.51.100.200",
          ua="Mozilla/5.0 (X11; Linux)", params={"name": "management-trail"}, read_only=False),
    event("2024-03-01T01:11:00Z", "cloudtrail.amazonaws.com", "DeleteTrail", root(), ip="198.51.100.200",
          ua="Mozilla/5.0 (X11; Linux)", params={"name": "management-trail"}, read_only=False),
    event("2024-03-01T02:00:00Z", "sts.amazonaws.com", "AssumeRole", service("lambda.amazonaws.com"),
          ip="lambda.amazonaws.com", ua="lambda.amazonaws.com", read_only=True,
          params={"roleArn": f"arn:aws:iam::{A1}:role/app-role", "roleSessionName": "i-0abc",
                  "durationSeconds": 3600},
          response={"credentials": {"accessKeyId": "ASIAAPP0000000000001", "expiration": "Mar 1, 2024, 3:00:00 AM"},
                    "assumedRoleUser": {"assumedRoleId": "AROAROLEAPP-:i-0abc",
                                        "arn": f"arn:aws:sts::{A1}:assumed-role/app-role/i-0abc"}},
          resources=[{"accountId": A1, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{A1}:role/app-role"}],
          tls=False),
    event("2024-03-01T02:30:00Z", "s3.amazonaws.com", "GetObject", app, ip="10.0.1.15",
          read_only=True, params={"bucketName": "prod-data", "key": "reports/2024.csv", "Host": "prod-data.s3.amazonaws.com"},
          additional={"bytesTransferredOut": 1024, "x-amz-id-2": "abc"},
          resources=s3_resources("prod-data", "reports/2024.csv"), category="Data", management=False,
          extra={"sharedEventID": "shared-0001"}),
    event("2024-03-01T02:31:00Z", "s3.amazonaws.com", "GetObject", app, ip="10.0.1.15",
          read_only=True, params={"bucketName": "prod-data", "key": "reports/2023.csv", "Host": "prod-data.s3.amazonaws.com"},
          additional={"bytesTransferredOut": 2048},
          resources=s3_resources("prod-data", "reports/2023.csv"), category="Data", management=False),
    event("2024-03-01T02:32:00Z", "s3.amazonaws.com", "PutObject", app, ip="10.0.1.15",
          read_only=False, params={"bucketName": "prod-data", "key": "uploads/x.bin", "Host": "prod-data.s3.amazonaws.com"},
          additional={"bytesTransferredIn": 512},
          resources=s3_resources("prod-data", "uploads/x.bin"), category="Data", management=False),
    event("2024-03-01T03:00:00Z", "s3.amazonaws.com", "GetObject", alice, ip="203.0.113.5",
          read_only=True, params={"bucketName": "secret-bucket", "key": "keys.txt", "Host": "secret-bucket.s3.amazonaws.com"},
          error="AccessDenied", message="Access Denied",
          resources=s3_resources("secret-bucket", "keys.txt"), category="Data", management=False),
    event("2024-03-01T03:05:00Z", "s3.amazonaws.com", "ListObjects",
          {"type": "AWSAccount", "principalId": "", "accountId": "ANONYMOUS_PRINCIPAL"},
          ip="2001:db8::1", ua="[curl/8.4.0]", read_only=True,
          params={"bucketName": "public-site", "Host": "public-site.s3.amazonaws.com"},
          error="AccessDenied", message="Access Denied", resources=s3_resources("public-site"),
          category="Data", management=False),
    event("2024-03-01T04:00:00Z", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", bob,
          ip="192.0.2.77", params=sg_open, response={"_return": True}, read_only=False),
    event("2024-03-01T04:01:00Z", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", bob,
          ip="192.0.2.77", params=sg_private, response={"_return": True}, read_only=False),
    event("2024-03-01T04:02:00Z", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", carol,
          ip="198.51.100.10", account=A2, params=sg_open, error="Client.UnauthorizedOperation",
          message="You are not authorized to perform this operation.", read_only=False),
    event("2024-03-01T04:03:00Z", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", carol,
          ip="198.51.100.10", account=A2, params=sg_v6, response={"_return": True}, read_only=False,
          region="us-west-2"),
    event("2024-03-01T05:00:00Z", "iam.amazonaws.com", "CreateUser", alice, ip="203.0.113.5",
          params={"userName": "mallory"}, response={"user": {"userName": "mallory", "userId": "AIDAMALLORY",
                                                             "arn": f"arn:aws:iam::{A1}:user/mallory"}},
          read_only=False),
    event("2024-03-01T05:01:00Z", "iam.amazonaws.com", "CreateAccessKey", alice, ip="203.0.113.5",
          params={"userName": "mallory"}, response={"accessKey": {"accessKeyId": "AKIAMALLORY000000006",
                                                                  "status": "Active", "userName": "mallory"}},
          read_only=False),
    event("2024-03-01T05:02:00Z", "iam.amazonaws.com", "AttachUserPolicy", alice, ip="203.0.113.5",
          params={"userName": "mallory", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
          read_only=False),
    event("2024-03-01T06:00:00Z", "kms.amazonaws.com", "Decrypt", service("s3.amazonaws.com"),
          ip="s3.amazonaws.com", ua="s3.amazonaws.com", read_only=True,
          params={"encryptionContext": {"aws:s3:arn": "arn:aws:s3:::prod-data/reports/2024.csv"},
                  "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
          resources=[{"accountId": A1, "type": "AWS::KMS::Key",
                      "ARN": f"arn:aws:kms:us-east-1:{A1}:key/1111-2222"}], tls=False),
    event("2024-03-01T07:00:00Z", "sts.amazonaws.com", "GetFederationToken", bob, ip="192.0.2.77",
          params={"name": "contractor", "durationSeconds": 43200},
          response={"federatedUser": {"federatedUserId": f"{A1}:contractor",
                                      "arn": f"arn:aws:sts::{A1}:federated-user/contractor"}},
          read_only=True),
    event("2024-03-01T07:05:00Z", "s3.amazonaws.com", "ListBuckets",
          {"type": "FederatedUser", "principalId": f"{A1}:contractor",
           "arn": f"arn:aws:sts::{A1}:federated-user/contractor", "accountId": A1,
           "accessKeyId": "ASIAFED00000000000001",
           "sessionContext": {"sessionIssuer": {"type": "IAMUser", "principalId": "AIDABOBXXXXX",
                                                "arn": f"arn:aws:iam::{A1}:user/bob",
                                                "accountId": A1, "userName": "bob"},
                              "attributes": {"creationDate": "2024-03-01T07:00:00Z",
                                             "mfaAuthenticated": "false"}}},
          ip="192.0.2.99", read_only=True, params={"Host": "s3.amazonaws.com"}),
    event("2024-03-01T08:00:00Z", "ec2.amazonaws.com", "DescribeInstances", carol, ip="198.51.100.10",
          account=A2, read_only=True, params=None),
    event("2024-03-01T08:30:00Z", "ec2.amazonaws.com", "RunInstances", deploy, ip="140.82.112.1",
          account=A2, ua="aws-sdk-go-v2/1.24.0 os/linux", read_only=False,
          params={"instanceType": "p4d.24xlarge", "minCount": 1, "maxCount": 4},
          response={"instancesSet": {"items": [{"instanceId": "i-aaa"}, {"instanceId": "i-bbb"}]}},
          resources=[{"accountId": A2, "type": "AWS::EC2::Instance", "ARN": f"arn:aws:ec2:us-east-1:{A2}:instance/i-aaa"},
                     {"accountId": A2, "type": "AWS::EC2::Instance", "ARN": f"arn:aws:ec2:us-east-1:{A2}:instance/i-bbb"}]),
    event("2024-03-01T09:00:00Z", "signin.amazonaws.com", "ConsoleLogin", iam_user("Alice", account=A2),
          ip="203.0.113.5", account=A2, ua="Mozilla/5.0 (Macintosh)", response={"ConsoleLogin": "Success"},
          additional=login_no_mfa),
    event("2024-03-01T10:00:00Z", "health.amazonaws.com", "AWSHealthEvent", {"accountId": A1, "invokedBy": "health.amazonaws.com"},
          ip="health.amazonaws.com", ua=None, event_type="AwsServiceEvent", read_only=None,
          extra={"serviceEventDetails": {"eventTypeCode": "AWS_EC2_MAINTENANCE", "affectedEntities": 2}}, tls=False),
    event("2024-03-01T11:00:00Z", "s3.amazonaws.com", "GetObject", carol, ip="198.51.100.10", account=A2,
          region="eu-west-1", read_only=True,
          params={"bucketName": "eu-data", "key": "a,b \"c\".txt", "Host": "eu-data.s3.amazonaws.com"},
          resources=s3_resources("eu-data", "a,b \"c\".txt", account=A2), category="Data", management=False,
          ua="S3 Browser 11.5.7 https://s3browser.com, \"quoted\""),
    event("2024-03-01T12:00:00Z", "secretsmanager.amazonaws.com", "GetSecretValue", deploy, ip="140.82.112.1",
          account=A2, ua="aws-sdk-go-v2/1.24.0 os/linux", read_only=True,
          params={"secretId": "prod/db-password"}, error="AccessDeniedException",
          message="User is not authorized"),
    event("2024-03-01T12:30:00Z", "secretsmanager.amazonaws.com", "GetSecretValue", deploy, ip="140.82.112.1",
          account=A2, ua="aws-sdk-go-v2/1.24.0 os/linux", read_only=True,
          params={"secretId": "prod/api-key"}),
    event("2024-03-01T13:00:00Z", "ec2.amazonaws.com", "DescribeVolumes", app, ip="10.0.1.16",
          read_only=True, params={"volumeSet": {}}, region="us-west-2"),
    event("2024-03-01T23:59:59Z", "s3.amazonaws.com", "PutObject", alice, ip="203.0.113.5",
          read_only=False, params={"bucketName": "prod-data", "key": "late.txt"},
          resources=s3_resources("prod-data", "late.txt"), category="Data", management=False,
          extra={"someNewField": {"nested": [1, 2, 3]}}),
    # Day 3: 2024-03-02
    event("2024-03-02T00:00:00.5Z", "guardduty.amazonaws.com", "DeleteDetector", root(A2), ip="198.51.100.201",
          account=A2, ua="Mozilla/5.0 (X11; Linux)", params={"detectorId": "abc123"}, read_only=False),
    event("2024-03-02T01:00:00Z", "iam.amazonaws.com", "CreateAccessKey", juergen, ip="2001:db8::42",
          account=A3, region="us-east-1", params={"userName": "jürgen"},
          response={"accessKey": {"accessKeyId": "AKIAJUERGEN00000007", "status": "Active"}}, read_only=False),
    event("2024-03-02T02:00:00Z", "ec2.amazonaws.com", "DescribeInstances", bob, ip="192.0.2.77",
          read_only=True, params={"filterSet": {}}),
    event("2024-03-02T02:00:01Z", "ec2.amazonaws.com", "DescribeInstances", bob, ip="192.0.2.78",
          read_only=True, params={"filterSet": {}}),
    event("2024-03-02T02:00:02Z", "ec2.amazonaws.com", "DescribeInstances", bob, ip="192.0.2.79",
          read_only=True, params={"filterSet": {}}, error="Client.RequestLimitExceeded",
          message="Request limit exceeded."),
    event("2024-03-02T03:00:00Z", "lambda.amazonaws.com", "CreateFunction20150331", deploy, ip="140.82.112.1",
          account=A2, ua="aws-sdk-go-v2/1.24.0 os/linux", read_only=False,
          params={"functionName": "exfil", "runtime": "python3.12", "role": f"arn:aws:iam::{A2}:role/admin"},
          response={"functionName": "exfil", "functionArn": f"arn:aws:lambda:us-east-1:{A2}:function:exfil"}),
    event("2024-03-02T04:00:00Z", "s3.amazonaws.com", "PutBucketPolicy", alice, ip="203.0.113.5",
          read_only=False, params={"bucketName": "public-site", "bucketPolicy": {"Version": "2012-10-17",
                                   "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}},
          resources=s3_resources("public-site")),
    event("2024-03-02T05:00:00Z", "kms.amazonaws.com", "ScheduleKeyDeletion", alice, ip="203.0.113.5",
          region="eu-west-1", read_only=False, params={"keyId": "1111-2222", "pendingWindowInDays": 7},
          resources=[{"accountId": A1, "type": "AWS::KMS::Key", "ARN": f"arn:aws:kms:eu-west-1:{A1}:key/1111-2222"}]),
    event("2024-03-02T06:00:00Z", "ec2.amazonaws.com", "DescribeInstances", app, ip="10.0.1.15",
          region="us-west-2", read_only=True, params=None, ua=None),
    event("2024-03-02T07:00:00Z", "sts.amazonaws.com", "AssumeRole", carol, ip="198.51.100.10", account=A2,
          read_only=True, params={"roleArn": f"arn:aws:iam::{A1}:role/audit", "roleSessionName": "carol-audit",
                                  "externalId": "ext-1"},
          response={"assumedRoleUser": {"arn": f"arn:aws:sts::{A1}:assumed-role/audit/carol-audit"}},
          resources=[{"accountId": A1, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{A1}:role/audit"}]),
    event("2024-03-02T23:00:00Z", "s3.amazonaws.com", "GetObject", alice2, ip="203.0.113.5", account=A2,
          read_only=True, params={"bucketName": "prod-data", "key": "reports/2024.csv"},
          error="AccessDenied", message="Access Denied", category="Data", management=False),
]

with open("events.json", "w", encoding="utf-8") as f:
    json.dump({"Records": events}, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(len(events), "events")
