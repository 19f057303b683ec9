// Actions of the data services: S3, DynamoDB, RDS, KMS, Secrets Manager, SSM, SNS, SQS.
#include "gen/internal/actions.h"
#include "gen/internal/aws_shapes.h"
#include "gen/internal/event_context.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {
namespace {

using json::JsonWriter;

// ---- S3 -----------------------------------------------------------------------------

std::string_view Bucket(EventContext& c) {
  if (c.persona().kind == PersonaKind::kAnonymous) return c.res().public_bucket;
  return c.Pick(c.res().buckets);
}

// Bytes of an object transfer: mostly small objects, a long tail of large ones.
int64_t ObjectBytes(EventContext& c) {
  Rng& r = c.rng();
  if (c.InScenario(static_cast<uint8_t>(ScenarioKind::kS3Exfiltration))) {
    return r.Between(200'000, 400'000'000);
  }
  const uint64_t band = r.Below(100);
  if (band < 70) return r.Between(300, 100'000);
  if (band < 95) return r.Between(100'000, 10'000'000);
  return r.Between(10'000'000, 600'000'000);
}

void S3Common(EventContext& c, JsonWriter& w, std::string_view bucket) {
  Str(w, "bucketName", bucket);
  Str(w, "Host", c.rng().Chance(0.8) ? c.Cat({bucket, ".s3.", c.region(), ".amazonaws.com"})
                                      : c.Cat({"s3.", c.region(), ".amazonaws.com"}));
}

void S3Additional(EventContext& c, int64_t bytes_in, int64_t bytes_out) {
  JsonWriter& a = c.Add();
  a.BeginObject();
  const bool anonymous = c.persona().kind == PersonaKind::kAnonymous;
  if (!anonymous) Str(a, "SignatureVersion", "SigV4");
  Str(a, "CipherSuite", c.rng().Chance(0.7) ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256");
  Tenths(a, "bytesTransferredIn", bytes_in * 10);
  if (!anonymous) Str(a, "AuthenticationMethod", c.rng().Chance(0.95) ? "AuthHeader" : "QueryString");
  Str(a, "x-amz-id-2", c.Cat({c.Random(kBase64, 74), "=="}));
  Tenths(a, "bytesTransferredOut", bytes_out * 10);
  a.EndObject();
}

void S3Object(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view bucket = Bucket(c);
  const std::string_view key = ObjectKey(c);
  const int64_t bytes = c.failed() ? 0 : ObjectBytes(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  S3Common(c, w, bucket);
  Str(w, "key", key);
  if (name == "PutObject" && c.rng().Chance(0.4)) Str(w, "x-amz-server-side-encryption", "aws:kms");
  if (name == "CopyObject") Str(w, "x-amz-copy-source", c.Cat({bucket, "/", ObjectKey(c)}));
  if (name == "UploadPart") {
    Str(w, "partNumber", c.Num(c.rng().Between(1, 40)));
    Str(w, "uploadId", c.Random(kAlnum, 64));
  }
  w.EndObject();
  if (name == "PutObject" || name == "CompleteMultipartUpload" || name == "CopyObject") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "x-amz-server-side-encryption", "aws:kms");
    Str(o, "x-amz-server-side-encryption-aws-kms-key-id",
        c.Arn("kms", c.Cat({"key/", c.Pick(c.res().kms_keys)})));
    Str(o, "x-amz-server-side-encryption-bucket-key-enabled", "true");
    if (c.rng().Chance(0.3)) Str(o, "x-amz-version-id", c.Random(kAlnum, 32));
    o.EndObject();
  }
  const bool upload = name == "PutObject" || name == "UploadPart";
  S3Additional(c, upload ? bytes : 0, name == "GetObject" ? bytes : 0);
  c.Resource("AWS::S3::Object", c.Cat({"arn:aws:s3:::", bucket, "/", key}), false);
  c.Resource("AWS::S3::Bucket", c.Cat({"arn:aws:s3:::", bucket}));
}

void S3List(EventContext& c) {
  const std::string_view bucket = Bucket(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "list-type", "2");
  S3Common(c, w, bucket);
  Str(w, "prefix", c.res().objects_prefixes.Pick(c.rng()));
  Str(w, "delimiter", "/");
  Str(w, "encoding-type", "url");
  if (c.rng().Chance(0.3)) Str(w, "max-keys", "1000");
  w.EndObject();
  S3Additional(c, 0, 0);
  c.Resource("AWS::S3::Bucket", c.Cat({"arn:aws:s3:::", bucket}));
}

// Bucket-level management calls; the subresource parameter names the configuration.
void S3Bucket(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListBuckets") {
    JsonWriter& w = c.Req();
    w.BeginObject();
    Str(w, "Host", c.Cat({"s3.", c.region(), ".amazonaws.com"}));
    w.EndObject();
    S3Additional(c, 0, 0);
    return;
  }
  const std::string_view bucket = Bucket(c);
  struct Sub {
    std::string_view event, param;
  };
  static constexpr Sub kSubs[] = {
      {"GetBucketLocation", "location"}, {"GetBucketPolicy", "policy"}, {"GetBucketAcl", "acl"},
      {"GetBucketVersioning", "versioning"}, {"GetBucketEncryption", "encryption"},
      {"GetBucketPublicAccessBlock", "publicAccessBlock"}, {"GetBucketTagging", "tagging"},
      {"GetBucketLogging", "logging"}, {"GetBucketLifecycle", "lifecycle"}, {"GetBucketCors", "cors"},
      {"GetBucketWebsite", "website"}, {"GetBucketReplication", "replication"},
      {"GetBucketObjectLockConfiguration", "object-lock"}, {"GetAccelerateConfiguration", "accelerate"},
      {"GetBucketOwnershipControls", "ownershipControls"}, {"GetBucketRequestPayment", "requestPayment"},
      {"DeleteBucketPolicy", "policy"}, {"PutBucketAcl", "acl"}, {"PutBucketLogging", "logging"},
      {"PutBucketTagging", "tagging"}, {"PutBucketEncryption", "encryption"}};
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "PutBucketPolicy") {
    w.Key("bucketPolicy");
    const bool open = c.rng().Chance(0.1);
    w.Raw(PolicyDocument(c, open ? PolicyKind::kBucketPublic : PolicyKind::kBucketTls, bucket, false));
  }
  S3Common(c, w, bucket);
  for (const Sub& s : kSubs) {
    if (s.event == name) Str(w, s.param, "");
  }
  if (name == "PutBucketPolicy") Str(w, "policy", "");
  if (name == "PutBucketVersioning") {
    w.Key("VersioningConfiguration");
    w.BeginObject();
    Str(w, "Status", c.rng().Chance(0.3) ? "Suspended" : "Enabled");
    Str(w, "xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
    w.EndObject();
    Str(w, "versioning", "");
  } else if (name == "PutBucketPublicAccessBlock") {
    w.Key("PublicAccessBlockConfiguration");
    w.BeginObject();
    Str(w, "xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
    const bool block = c.rng().Chance(0.9);
    for (std::string_view f : {"RestrictPublicBuckets", "BlockPublicPolicy", "BlockPublicAcls", "IgnorePublicAcls"}) {
      Bool(w, f, block);
    }
    w.EndObject();
    Str(w, "publicAccessBlock", "");
  } else if (name == "CreateBucket") {
    if (c.region() != "us-east-1") {
      w.Key("CreateBucketConfiguration");
      w.BeginObject();
      Str(w, "LocationConstraint", c.region());
      Str(w, "xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
      w.EndObject();
    }
    Str(w, "x-amz-acl", "private");
  }
  w.EndObject();
  S3Additional(c, name.starts_with("Put") ? c.rng().Between(100, 2000) : 0, 0);
  c.Resource("AWS::S3::Bucket", c.Cat({"arn:aws:s3:::", bucket}));
}

// ---- DynamoDB -----------------------------------------------------------------------

void DynamoItem(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view table = c.Pick(c.res().tables);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "tableName", table);
  if (name == "Query" || name == "Scan") {
    if (name == "Query") {
      if (c.rng().Chance(0.3)) Str(w, "indexName", "gsi1");
      Str(w, "keyConditionExpression", "#pk = :pk");
      w.Key("expressionAttributeNames");
      w.BeginObject();
      Str(w, "#pk", "pk");
      w.EndObject();
      Bool(w, "scanIndexForward", false);
    }
    Int(w, "limit", c.rng().Chance(0.5) ? 100 : 25);
    Str(w, "select", "ALL_ATTRIBUTES");
  } else {
    w.Key("key");
    w.BeginObject();
    Str(w, "pk", c.Cat({"ORDER#", c.Num(c.rng().Between(100000, 99999999))}));
    if (c.rng().Chance(0.5)) Str(w, "sk", c.Cat({"ITEM#", c.Num(c.rng().Between(1, 40))}));
    w.EndObject();
    if (name == "GetItem") Bool(w, "consistentRead", c.rng().Chance(0.2));
    if (name == "UpdateItem") {
      Str(w, "updateExpression", "SET #s = :s, #u = :u");
      Str(w, "conditionExpression", "attribute_exists(pk)");
      Str(w, "returnValues", "UPDATED_NEW");
    }
  }
  w.EndObject();
  c.Resource("AWS::DynamoDB::Table", c.Arn("dynamodb", c.Cat({"table/", table})));
}

void DynamoTable(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListTables") return;
  const std::string_view table = c.Pick(c.res().tables);
  const std::string_view arn = c.Arn("dynamodb", c.Cat({"table/", table}));
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, name == "ListTagsOfResource" ? "resourceArn" : "tableName", name == "ListTagsOfResource" ? arn : table);
  if (name == "UpdateTimeToLive") {
    w.Key("timeToLiveSpecification");
    w.BeginObject();
    Bool(w, "enabled", true);
    Str(w, "attributeName", "expiresAt");
    w.EndObject();
  }
  w.EndObject();
  if (name == "UpdateTable" || name == "DeleteTable") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    o.Key("tableDescription");
    o.BeginObject();
    Str(o, "tableName", table);
    Str(o, "tableStatus", name == "DeleteTable" ? "DELETING" : "UPDATING");
    Str(o, "creationDateTime", c.JavaTime(c.time() - 86400LL * 400 * kMicrosPerSecond));
    o.Key("provisionedThroughput");
    o.BeginObject();
    Int(o, "numberOfDecreasesToday", 0);
    Int(o, "readCapacityUnits", 0);
    Int(o, "writeCapacityUnits", 0);
    o.EndObject();
    Int(o, "tableSizeBytes", c.rng().Between(0, 90'000'000'000));
    Int(o, "itemCount", c.rng().Between(0, 400'000'000));
    Str(o, "tableArn", arn);
    Str(o, "tableId", c.Uuid());
    o.Key("billingModeSummary");
    o.BeginObject();
    Str(o, "billingMode", "PAY_PER_REQUEST");
    o.EndObject();
    Bool(o, "deletionProtectionEnabled", name != "DeleteTable");
    o.EndObject();
    o.EndObject();
  }
  c.Resource("AWS::DynamoDB::Table", arn);
}

// ---- RDS ----------------------------------------------------------------------------

void Rds(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view db = c.Pick(c.res().db_instances);
  JsonWriter& w = c.Req();
  if ((name == "DescribeDBInstances" || name == "DescribeDBClusters") && c.rng().Chance(0.5)) return;
  w.BeginObject();
  if (name == "DescribeDBEngineVersions") {
    Str(w, "engine", "postgres");
    Bool(w, "defaultOnly", false);
  } else if (name == "ListTagsForResource") {
    Str(w, "resourceName", c.Arn("rds", c.Cat({"db:", db})));
  } else if (name == "ModifyDBSnapshotAttribute") {
    Str(w, "dBSnapshotIdentifier", c.Cat({db, "-manual-", c.Num(c.rng().Between(1, 99))}));
    Str(w, "attributeName", "restore");
    w.Key("valuesToAdd");
    w.BeginArray();
    w.String(c.pop().vendor_accounts[1]);
    w.EndArray();
  } else if (name == "AuthorizeDBSecurityGroupIngress") {
    Str(w, "dBSecurityGroupName", "default");
    Str(w, "cIDRIP", "0.0.0.0/0");
  } else {
    Str(w, "dBInstanceIdentifier", db);
  }
  if (name == "CreateDBSnapshot") Str(w, "dBSnapshotIdentifier", c.Cat({db, "-manual-", c.Num(c.time() / kMicrosPerSecond)}));
  if (name == "ModifyDBInstance") {
    Bool(w, "applyImmediately", c.rng().Chance(0.5));
    Int(w, "backupRetentionPeriod", 14);
  }
  if (name == "DescribeDBSnapshots") Str(w, "snapshotType", "manual");
  w.EndObject();
  if (name != "CreateDBSnapshot" && name != "ModifyDBInstance") return;
  const bool postgres = db.find("postgres") != std::string_view::npos;
  JsonWriter& o = c.Res();
  o.BeginObject();
  if (name == "CreateDBSnapshot") {
    Str(o, "dBSnapshotIdentifier", c.Cat({db, "-manual-", c.Num(c.time() / kMicrosPerSecond)}));
  }
  Str(o, "dBInstanceIdentifier", db);
  Str(o, "engine", postgres ? "postgres" : "mysql");
  Int(o, "allocatedStorage", c.rng().Chance(0.5) ? 100 : 500);
  Str(o, "status", name == "CreateDBSnapshot" ? "creating" : "modifying");
  Int(o, "port", postgres ? 5432 : 3306);
  Str(o, "availabilityZone", c.Zone());
  Str(o, "vpcId", c.Pick(c.res().vpcs));
  Str(o, "instanceCreateTime", c.JavaTime(c.time() - 86400LL * 300 * kMicrosPerSecond));
  Str(o, "masterUsername", postgres ? "postgres" : "admin");
  Str(o, "engineVersion", postgres ? "16.4" : "8.0.39");
  Str(o, "licenseModel", postgres ? "postgresql-license" : "general-public-license");
  Str(o, "storageType", "gp3");
  Bool(o, "encrypted", true);
  Str(o, "kmsKeyId", c.Arn("kms", c.Cat({"key/", c.Pick(c.res().kms_keys)})));
  Bool(o, "iAMDatabaseAuthenticationEnabled", false);
  o.Key("processorFeatures");
  o.BeginArray();
  o.EndArray();
  Str(o, "dbiResourceId", c.Cat({"db-", c.Random(kUpperAlnum, 26)}));
  o.Key("tagList");
  o.BeginArray();
  o.EndArray();
  Int(o, "storageThroughput", 125);
  o.EndObject();
}

// ---- KMS ----------------------------------------------------------------------------

void KmsCrypto(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view key = c.Arn("kms", c.Cat({"key/", c.Pick(c.res().kms_keys)}));
  Rng& r = c.rng();
  const Persona& p = c.persona();
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name != "Decrypt" || r.Chance(0.3)) Str(w, "keyId", r.Chance(0.5) ? key : std::string_view("alias/aws/s3"));
  Str(w, "encryptionAlgorithm", "SYMMETRIC_DEFAULT");
  if (name == "GenerateDataKey") Str(w, "keySpec", "AES_256");
  w.Key("encryptionContext");
  w.BeginObject();
  const uint64_t kind = r.Below(6);
  if (p.kind == PersonaKind::kAwsService) {
    c.SetInvokedBy(kind % 2 == 0 ? "ebs.amazonaws.com" : "rds.amazonaws.com");
    Str(w, kind % 2 == 0 ? "aws:ebs:id" : "aws:rds:db-id",
        kind % 2 == 0 ? std::string_view(c.Pick(c.res().volumes)) : c.Cat({"db-", c.Random(kUpperAlnum, 26)}));
  } else if (kind == 0) {
    c.SetInvokedBy("secretsmanager.amazonaws.com");
    Str(w, "SecretARN", c.Arn("secretsmanager", c.Cat({"secret:", c.Pick(c.res().secrets)})));
    Str(w, "SecretVersionId", c.Uuid());
  } else if (kind == 1) {
    c.SetInvokedBy("ssm.amazonaws.com");
    Str(w, "PARAMETER_ARN", c.Arn("ssm", c.Cat({"parameter", c.Pick(c.res().parameters)})));
  } else if (kind == 2) {
    c.SetInvokedBy("dynamodb.amazonaws.com");
    Str(w, "aws:dynamodb:tableName", c.Pick(c.res().tables));
    Str(w, "aws:dynamodb:subscriberId", c.account_id());
  } else if (kind == 3 && p.kind == PersonaKind::kLambda) {
    Str(w, "aws:lambda:FunctionArn", c.Arn("lambda", c.Cat({"function:", p.session_base})));
  } else {
    Str(w, "aws:s3:arn", c.Cat({"arn:aws:s3:::", c.Pick(c.res().buckets), "/", ObjectKey(c)}));
  }
  w.EndObject();
  w.EndObject();
  c.Resource("AWS::KMS::Key", key);
}

void KmsManage(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string_view key_id = c.Pick(c.res().kms_keys);
  const std::string_view key = c.Arn("kms", c.Cat({"key/", key_id}));
  if (name == "ListAliases" || name == "ListKeys") {
    if (c.rng().Chance(0.5)) return;
    JsonWriter& w = c.Req();
    w.BeginObject();
    Int(w, "limit", name == "ListKeys" ? 1000 : 100);
    w.EndObject();
    return;
  }
  if (name == "RotateKey") {
    c.SetInvokedBy("kms.amazonaws.com");
    c.SetIdentity(IdentityStyle::kServiceEvent);
    c.SetNoRequestId();
    JsonWriter& a = c.Add();
    a.BeginObject();
    Str(a, "keyId", key);
    a.EndObject();
    c.Resource("AWS::KMS::Key", key);
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "keyId", c.rng().Chance(0.5) ? key : key_id);
  if (name == "GetKeyPolicy") Str(w, "policyName", "default");
  if (name == "ScheduleKeyDeletion") Int(w, "pendingWindowInDays", 7);
  if (name == "CreateGrant") {
    Str(w, "granteePrincipal", c.Cat({c.AwsId("AROA", 17), ":", c.HexId("i-", 17)}));
    Str(w, "retiringPrincipal", "ec2.us-east-1.amazonaws.com");
    w.Key("operations");
    w.BeginArray();
    for (std::string_view op : {"Decrypt", "Encrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "DescribeKey"}) w.String(op);
    w.EndArray();
    w.Key("constraints");
    w.BeginObject();
    w.Key("encryptionContextSubset");
    w.BeginObject();
    Str(w, "aws:ebs:id", c.Pick(c.res().volumes));
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  if (name == "ScheduleKeyDeletion") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "keyId", key);
    Str(o, "deletionDate", c.JavaTime(c.time() + 7 * 86400LL * kMicrosPerSecond));
    Str(o, "keyState", "PendingDeletion");
    Int(o, "pendingWindowInDays", 7);
    o.EndObject();
  } else if (name == "CreateGrant") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "grantId", c.HexId("", 64));
    Str(o, "keyId", key);
    o.EndObject();
  }
  c.Resource("AWS::KMS::Key", key);
}

// ---- Secrets Manager and SSM ----------------------------------------------------------

void Secrets(EventContext& c) {
  const std::string_view name = c.action().name;
  const std::string& full = c.Pick(c.res().secrets);
  const std::string_view secret_name = std::string_view(full).substr(0, full.size() - 7);
  const std::string_view arn = c.Arn("secretsmanager", c.Cat({"secret:", full}));
  if (name == "ListSecrets") {
    if (c.rng().Chance(0.5)) return;
    JsonWriter& w = c.Req();
    w.BeginObject();
    Int(w, "maxResults", 100);
    w.EndObject();
    return;
  }
  if (name == "RotationSucceeded" || name == "RotationStarted") {
    c.SetInvokedBy("secretsmanager.amazonaws.com");
    c.SetIdentity(IdentityStyle::kServiceEvent);
    c.SetNoRequestId();
    JsonWriter& a = c.Add();
    a.BeginObject();
    Str(a, "SecretId", arn);
    a.EndObject();
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "CreateSecret") {
    Str(w, "name", secret_name);
    Str(w, "description", "Managed by Terraform");
    Str(w, "kmsKeyId", c.Pick(c.res().kms_keys));
    Str(w, "clientRequestToken", c.Uuid());
    Bool(w, "forceOverwriteReplicaSecret", false);
  } else {
    Str(w, "secretId", c.rng().Chance(0.6) ? arn : secret_name);
  }
  if (name == "GetSecretValue" && c.rng().Chance(0.3)) Str(w, "versionStage", "AWSCURRENT");
  if (name == "PutSecretValue") Str(w, "clientRequestToken", c.Uuid());
  if (name == "RotateSecret") {
    Str(w, "clientRequestToken", c.Uuid());
    Str(w, "rotationLambdaARN", c.Arn("lambda", c.Cat({"function:", c.Pick(c.res().functions)})));
    w.Key("rotationRules");
    w.BeginObject();
    Int(w, "automaticallyAfterDays", 30);
    w.EndObject();
  }
  w.EndObject();
  if (name == "PutSecretValue" || name == "CreateSecret" || name == "RotateSecret") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "arn", arn);
    Str(o, "name", secret_name);
    Str(o, "versionId", c.Uuid());
    if (name == "PutSecretValue") {
      o.Key("versionStages");
      o.BeginArray();
      o.String("AWSCURRENT");
      o.EndArray();
    }
    o.EndObject();
  }
}

void Ssm(EventContext& c) {
  const std::string_view name = c.action().name;
  Rng& r = c.rng();
  const Persona& p = c.persona();
  const bool agent = name == "UpdateInstanceInformation" || name == "ListInstanceAssociations" ||
                     name == "UpdateInstanceAssociationStatus";
  if (agent) c.caller().user_agent = c.pop().uas[c.pop().PickUa(r, UaFamily::kSsmAgent)].text;
  const std::string_view instance = c.Pick(c.res().instances);
  JsonWriter& w = c.Req();
  if (name == "DescribeInstanceInformation" || name == "DescribeParameters" ||
      name == "DescribeSessions" || name == "ListCommands") {
    if (r.Chance(0.5)) return;
    w.BeginObject();
    Int(w, "maxResults", 50);
    if (name == "DescribeSessions") Str(w, "state", "Active");
    w.EndObject();
    return;
  }
  w.BeginObject();
  if (name == "GetParameter") {
    Str(w, "name", c.Pick(c.res().parameters));
    Bool(w, "withDecryption", r.Chance(0.7));
  } else if (name == "GetParameters") {
    w.Key("names");
    w.BeginArray();
    for (int64_t i = r.Between(1, 4); i > 0; --i) w.String(c.Pick(c.res().parameters));
    w.EndArray();
    Bool(w, "withDecryption", true);
  } else if (name == "GetParametersByPath") {
    const std::string& param = c.Pick(c.res().parameters);
    Str(w, "path", std::string_view(param).substr(0, param.rfind('/')));
    Bool(w, "recursive", true);
    Bool(w, "withDecryption", true);
  } else if (name == "PutParameter") {
    Str(w, "name", c.Pick(c.res().parameters));
    Str(w, "type", "SecureString");
    Bool(w, "overwrite", true);
    Str(w, "tier", "Standard");
    Str(w, "value", "HIDDEN_DUE_TO_SECURITY_REASONS");
  } else if (name == "UpdateInstanceInformation") {
    const std::string_view ip = c.PrivateIp();
    Str(w, "instanceId", instance);
    Str(w, "agentVersion", c.Cat({"3.3.", c.Num(r.Between(40, 1500)), ".0"}));
    Str(w, "agentName", "amazon-ssm-agent");
    Str(w, "platformType", "Linux");
    Str(w, "platformName", "Amazon Linux");
    Str(w, "platformVersion", "2023");
    Str(w, "iPAddress", ip);
    Str(w, "computerName", c.Cat({"ip-", ip, ".ec2.internal"}));
    Str(w, "agentStatus", "Active");
    Str(w, "availabilityZone", c.Zone());
    Str(w, "availabilityZoneId", c.Cat({"use1-az", c.Num(r.Between(1, 6))}));
    Str(w, "sSMConnectionChannel", "ssmmessages");
  } else if (name == "ListInstanceAssociations" || name == "UpdateInstanceAssociationStatus") {
    Str(w, "instanceId", instance);
    if (name == "ListInstanceAssociations") Int(w, "maxResults", 20);
    if (name != "ListInstanceAssociations") Str(w, "associationId", c.Uuid());
  } else if (name == "StartSession") {
    Str(w, "target", instance);
    if (r.Chance(0.3)) Str(w, "documentName", "AWS-StartPortForwardingSession");
  } else if (name == "TerminateSession") {
    Str(w, "sessionId", c.Cat({p.email.empty() ? std::string_view(p.name) : std::string_view(p.email), "-", c.HexId("", 17)}));
  } else if (name == "SendCommand") {
    w.Key("instanceIds");
    w.BeginArray();
    w.String(instance);
    w.EndArray();
    Str(w, "documentName", "AWS-RunShellScript");
    Str(w, "parameters", "HIDDEN_DUE_TO_SECURITY_REASONS");
    Bool(w, "interactive", false);
  }
  w.EndObject();
  if (name == "PutParameter") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Int(o, "version", r.Between(2, 40));
    Str(o, "tier", "Standard");
    o.EndObject();
  } else if (name == "StartSession") {
    const std::string_view session = c.Cat({p.email.empty() ? std::string_view(p.name) : std::string_view(p.email), "-", c.HexId("", 17)});
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "sessionId", session);
    Str(o, "tokenValue", "Value hidden due to security reasons.");
    Str(o, "streamUrl", c.Cat({"wss://ssmmessages.", c.region(), ".amazonaws.com/v1/data-channel/", session, "?role=publish_subscribe&cell-number=", c.Random(kAlnum, 40)}));
    o.EndObject();
  } else if (name == "SendCommand") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    o.Key("command");
    o.BeginObject();
    Str(o, "commandId", c.Uuid());
    Str(o, "documentName", "AWS-RunShellScript");
    Str(o, "documentVersion", "$DEFAULT");
    Str(o, "comment", "");
    Int(o, "expiresAfter", (c.time() + 3600 * kMicrosPerSecond) / 1000);
    Str(o, "parameters", "HIDDEN_DUE_TO_SECURITY_REASONS");
    o.Key("instanceIds");
    o.BeginArray();
    o.String(instance);
    o.EndArray();
    o.Key("targets");
    o.BeginArray();
    o.EndArray();
    Int(o, "requestedDateTime", c.time() / 1000);
    Str(o, "status", "Pending");
    Str(o, "statusDetails", "Pending");
    Str(o, "outputS3Region", c.region());
    Str(o, "maxConcurrency", "50");
    Str(o, "maxErrors", "0");
    Int(o, "targetCount", 1);
    Int(o, "completedCount", 0);
    Int(o, "errorCount", 0);
    Int(o, "deliveryTimedOutCount", 0);
    Str(o, "serviceRole", "");
    o.Key("notificationConfig");
    o.BeginObject();
    Str(o, "notificationArn", "");
    o.Key("notificationEvents");
    o.BeginArray();
    o.EndArray();
    Str(o, "notificationType", "");
    o.EndObject();
    o.Key("cloudWatchOutputConfig");
    o.BeginObject();
    Str(o, "cloudWatchLogGroupName", "");
    Bool(o, "cloudWatchOutputEnabled", false);
    o.EndObject();
    Int(o, "timeoutSeconds", 3600);
    Bool(o, "interactive", false);
    o.EndObject();
    o.EndObject();
  }
}

// ---- SNS and SQS --------------------------------------------------------------------

void Sns(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListTopics") return;
  const std::string_view topic = c.Pick(c.res().topics);
  const std::string_view arn = c.Arn("sns", topic);
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "CreateTopic") {
    Str(w, "name", topic);
  } else {
    Str(w, "topicArn", arn);
  }
  if (name == "Publish") {
    if (c.rng().Chance(0.3)) Str(w, "subject", "HIDDEN_DUE_TO_SECURITY_REASONS");
    Str(w, "message", "HIDDEN_DUE_TO_SECURITY_REASONS");
  } else if (name == "Subscribe") {
    Str(w, "protocol", c.rng().Chance(0.5) ? "email" : "sqs");
    Str(w, "endpoint", "HIDDEN_DUE_TO_SECURITY_REASONS");
    Bool(w, "returnSubscriptionArn", false);
  }
  w.EndObject();
  if (name == "Publish" || name == "Subscribe" || name == "CreateTopic") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    if (name == "Publish") Str(o, "messageId", c.Uuid());
    if (name == "Subscribe") Str(o, "subscriptionArn", "pending confirmation");
    if (name == "CreateTopic") Str(o, "topicArn", arn);
    o.EndObject();
  }
  c.Resource("AWS::SNS::Topic", arn);
}

void Sqs(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "ListQueues") return;
  const std::string_view queue = c.Pick(c.res().queues);
  const std::string_view url = c.Cat({"https://sqs.", c.region(), ".amazonaws.com/", c.account_id(), "/", queue});
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "GetQueueUrl" || name == "CreateQueue") {
    Str(w, "queueName", queue);
  } else {
    Str(w, "queueUrl", url);
  }
  Rng& r = c.rng();
  if (name == "SendMessage") {
    Str(w, "messageBody", "HIDDEN_DUE_TO_SECURITY_REASONS");
    if (queue.ends_with(".fifo")) {
      Str(w, "messageGroupId", c.HexId("", 8));
      Str(w, "messageDeduplicationId", c.Uuid());
    }
  } else if (name == "ReceiveMessage") {
    Int(w, "maxNumberOfMessages", 10);
    Int(w, "waitTimeSeconds", 20);
    w.Key("attributeNames");
    w.BeginArray();
    w.String("All");
    w.EndArray();
    Int(w, "visibilityTimeout", 300);
  } else if (name == "DeleteMessage" || name == "ChangeMessageVisibility") {
    Str(w, "receiptHandle", c.Cat({"AQEB", c.Random(kBase64, 300 + r.Index(60))}));
    if (name == "ChangeMessageVisibility") Int(w, "visibilityTimeout", 600);
  } else if (name == "GetQueueAttributes") {
    w.Key("attributeNames");
    w.BeginArray();
    w.String("All");
    w.EndArray();
  } else if (name == "SetQueueAttributes") {
    w.Key("attributes");
    w.BeginObject();
    Str(w, "Policy", PolicyDocument(c, PolicyKind::kQueueFromTopic, queue, false));
    w.EndObject();
  }
  w.EndObject();
  if (name == "SendMessage") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "mD5OfMessageBody", c.HexId("", 32));
    Str(o, "messageId", c.Uuid());
    if (queue.ends_with(".fifo")) Str(o, "sequenceNumber", c.Random(kDigits, 20));
    o.EndObject();
  } else if (name == "CreateQueue") {
    JsonWriter& o = c.Res();
    o.BeginObject();
    Str(o, "queueUrl", url);
    o.EndObject();
  }
  c.Resource("AWS::SQS::Queue", c.Arn("sqs", queue));
}

constexpr uint32_t kEc2Agent = KindBit(PersonaKind::kEc2);
constexpr uint32_t kNotAnonymous = ~KindBit(PersonaKind::kAnonymous);

const ActionSpec kDataActions[] = {
    // S3 data events
    {Service::kS3, "GetObject", Access::kDataRead, {.human = 15, .automation = 35, .workload = 55, .ci = 4, .anonymous = 90}, S3Object, Errors::kObject},
    {Service::kS3, "PutObject", Access::kDataWrite, {.human = 6, .automation = 20, .workload = 25, .ci = 12}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "HeadObject", Access::kDataRead, {.human = 2, .automation = 10, .workload = 25, .ci = 3, .anonymous = 5}, S3Object, Errors::kObject},
    {Service::kS3, "DeleteObject", Access::kDataWrite, {.human = 1, .automation = 6, .workload = 8}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "CopyObject", Access::kDataWrite, {.automation = 3, .workload = 4}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "CreateMultipartUpload", Access::kDataWrite, {.automation = 2, .workload = 2}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "UploadPart", Access::kDataWrite, {.automation = 8, .workload = 6}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "CompleteMultipartUpload", Access::kDataWrite, {.automation = 2, .workload = 2}, S3Object, Errors::kObject, kNotAnonymous},
    {Service::kS3, "ListObjects", Access::kDataRead, {.human = 15, .automation = 25, .workload = 30, .ci = 4, .scanner = 2, .anonymous = 5}, S3List, Errors::kBucket},
    // S3 management
    {Service::kS3, "ListBuckets", Access::kRead, {.human = 20, .automation = 4, .workload = 1, .ci = 4, .scanner = 20, .root = 10}, S3Bucket, Errors::kNone, kNotAnonymous},
    {Service::kS3, "GetBucketLocation", Access::kRead, {.human = 10, .automation = 5, .workload = 2, .ci = 6, .scanner = 12}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketPolicy", Access::kRead, {.human = 5, .ci = 8, .scanner = 12}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketAcl", Access::kRead, {.human = 5, .ci = 8, .scanner = 12}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketVersioning", Access::kRead, {.human = 5, .ci = 8, .scanner = 10}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketEncryption", Access::kRead, {.human = 4, .ci = 8, .scanner = 10}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketPublicAccessBlock", Access::kRead, {.human = 4, .ci = 8, .scanner = 10}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketTagging", Access::kRead, {.human = 3, .ci = 8, .scanner = 6}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketLogging", Access::kRead, {.human = 1, .ci = 8, .scanner = 8}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketLifecycle", Access::kRead, {.human = 1, .ci = 8, .scanner = 4}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketCors", Access::kRead, {.ci = 8, .scanner = 2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketWebsite", Access::kRead, {.ci = 8, .scanner = 2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketReplication", Access::kRead, {.ci = 8, .scanner = 2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketObjectLockConfiguration", Access::kRead, {.ci = 8, .scanner = 2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetAccelerateConfiguration", Access::kRead, {.ci = 8}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketOwnershipControls", Access::kRead, {.ci = 6, .scanner = 4}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "GetBucketRequestPayment", Access::kRead, {.ci = 8}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketPolicy", Access::kWrite, {.human = 0.1, .ci = 0.5}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "DeleteBucketPolicy", Access::kWrite, {.human = 0.02, .ci = 0.05}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketAcl", Access::kWrite, {.human = 0.05, .ci = 0.2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketVersioning", Access::kWrite, {.human = 0.05, .ci = 0.3}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketPublicAccessBlock", Access::kWrite, {.human = 0.05, .ci = 0.3}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketEncryption", Access::kWrite, {.ci = 0.3}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketLogging", Access::kWrite, {.ci = 0.2}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "PutBucketTagging", Access::kWrite, {.human = 0.05, .ci = 0.5}, S3Bucket, Errors::kBucket, kNotAnonymous},
    {Service::kS3, "CreateBucket", Access::kWrite, {.human = 0.1, .ci = 0.2}, S3Bucket, Errors::kDefault, kNotAnonymous},
    {Service::kS3, "DeleteBucket", Access::kWrite, {.human = 0.02, .ci = 0.05}, S3Bucket, Errors::kBucket, kNotAnonymous},
    // DynamoDB
    {Service::kDynamoDb, "GetItem", Access::kDataRead, {.human = 0.5, .automation = 10, .workload = 60}, DynamoItem},
    {Service::kDynamoDb, "PutItem", Access::kDataWrite, {.automation = 6, .workload = 30}, DynamoItem},
    {Service::kDynamoDb, "UpdateItem", Access::kDataWrite, {.automation = 3, .workload = 15}, DynamoItem},
    {Service::kDynamoDb, "DeleteItem", Access::kDataWrite, {.automation = 1, .workload = 4}, DynamoItem},
    {Service::kDynamoDb, "Query", Access::kDataRead, {.human = 1, .automation = 8, .workload = 40}, DynamoItem},
    {Service::kDynamoDb, "Scan", Access::kDataRead, {.human = 0.5, .automation = 2, .workload = 2}, DynamoItem},
    {Service::kDynamoDb, "DescribeTable", Access::kRead, {.human = 4, .automation = 1, .workload = 2, .ci = 8, .scanner = 6}, DynamoTable},
    {Service::kDynamoDb, "ListTables", Access::kRead, {.human = 3, .ci = 2, .scanner = 6}, DynamoTable},
    {Service::kDynamoDb, "DescribeContinuousBackups", Access::kRead, {.ci = 6, .scanner = 4}, DynamoTable},
    {Service::kDynamoDb, "DescribeTimeToLive", Access::kRead, {.ci = 6, .scanner = 2}, DynamoTable},
    {Service::kDynamoDb, "ListTagsOfResource", Access::kRead, {.ci = 6, .scanner = 3}, DynamoTable},
    {Service::kDynamoDb, "UpdateTable", Access::kWrite, {.human = 0.05, .ci = 0.3}, DynamoTable},
    {Service::kDynamoDb, "UpdateTimeToLive", Access::kWrite, {.ci = 0.1}, DynamoTable},
    {Service::kDynamoDb, "DeleteTable", Access::kWrite, {.human = 0.01, .ci = 0.02}, DynamoTable},
    // RDS
    {Service::kRds, "DescribeDBInstances", Access::kRead, {.human = 6, .automation = 2, .workload = 1, .ci = 6, .scanner = 10}, Rds},
    {Service::kRds, "DescribeDBClusters", Access::kRead, {.human = 2, .ci = 3, .scanner = 6}, Rds},
    {Service::kRds, "DescribeDBSnapshots", Access::kRead, {.human = 1, .automation = 1, .scanner = 6}, Rds},
    {Service::kRds, "DescribeDBEngineVersions", Access::kRead, {.human = 0.5, .ci = 3}, Rds},
    {Service::kRds, "ListTagsForResource", Access::kRead, {.human = 1, .ci = 4, .scanner = 4}, Rds},
    {Service::kRds, "CreateDBSnapshot", Access::kWrite, {.human = 0.1, .automation = 0.5, .service = 1}, Rds},
    {Service::kRds, "ModifyDBInstance", Access::kWrite, {.human = 0.1, .ci = 0.2}, Rds},
    {Service::kRds, "RebootDBInstance", Access::kWrite, {.human = 0.05}, Rds},
    {Service::kRds, "ModifyDBSnapshotAttribute", Access::kWrite, {.human = 0.005}, Rds},
    {Service::kRds, "AuthorizeDBSecurityGroupIngress", Access::kWrite, {.human = 0.002}, Rds},
    // KMS
    {Service::kKms, "Decrypt", Access::kRead, {.human = 3, .automation = 20, .workload = 90, .ci = 10, .service = 260}, KmsCrypto},
    {Service::kKms, "GenerateDataKey", Access::kRead, {.human = 1, .automation = 10, .workload = 40, .ci = 4, .service = 140}, KmsCrypto},
    {Service::kKms, "Encrypt", Access::kRead, {.automation = 3, .workload = 8}, KmsCrypto},
    {Service::kKms, "DescribeKey", Access::kRead, {.human = 1, .workload = 2, .ci = 8, .scanner = 6}, KmsManage},
    {Service::kKms, "ListAliases", Access::kRead, {.human = 2, .ci = 2, .scanner = 6}, KmsManage},
    {Service::kKms, "ListKeys", Access::kRead, {.human = 0.5, .scanner = 6}, KmsManage},
    {Service::kKms, "GetKeyPolicy", Access::kRead, {.ci = 6, .scanner = 6}, KmsManage},
    {Service::kKms, "GetKeyRotationStatus", Access::kRead, {.ci = 6, .scanner = 6}, KmsManage},
    {Service::kKms, "CreateGrant", Access::kWrite, {.human = 0.1, .service = 6}, KmsManage},
    {Service::kKms, "ScheduleKeyDeletion", Access::kWrite, {.human = 0.01, .ci = 0.02}, KmsManage},
    {Service::kKms, "DisableKey", Access::kWrite, {.human = 0.01}, KmsManage},
    {Service::kKms, "RotateKey", Access::kServiceEvent, {.service = 0.5}, KmsManage, Errors::kNone},
    // Secrets Manager
    {Service::kSecretsManager, "GetSecretValue", Access::kRead, {.human = 3, .automation = 10, .workload = 50, .ci = 6}, Secrets},
    {Service::kSecretsManager, "DescribeSecret", Access::kRead, {.human = 2, .workload = 3, .ci = 6, .scanner = 6}, Secrets},
    {Service::kSecretsManager, "ListSecrets", Access::kRead, {.human = 3, .ci = 1, .scanner = 6}, Secrets},
    {Service::kSecretsManager, "GetResourcePolicy", Access::kRead, {.ci = 4, .scanner = 4}, Secrets},
    {Service::kSecretsManager, "PutSecretValue", Access::kWrite, {.human = 0.1, .workload = 0.5, .ci = 0.3}, Secrets},
    {Service::kSecretsManager, "CreateSecret", Access::kWrite, {.human = 0.02, .ci = 0.1}, Secrets},
    {Service::kSecretsManager, "RotateSecret", Access::kWrite, {.human = 0.05, .ci = 0.05}, Secrets},
    {Service::kSecretsManager, "RotationSucceeded", Access::kServiceEvent, {.service = 1}, Secrets, Errors::kNone},
    // SSM
    {Service::kSsm, "GetParameter", Access::kRead, {.human = 2, .automation = 8, .workload = 35, .ci = 10}, Ssm},
    {Service::kSsm, "GetParameters", Access::kRead, {.human = 1, .automation = 4, .workload = 15, .ci = 6}, Ssm},
    {Service::kSsm, "GetParametersByPath", Access::kRead, {.automation = 2, .workload = 10, .ci = 3}, Ssm},
    {Service::kSsm, "DescribeParameters", Access::kRead, {.human = 1, .ci = 2, .scanner = 4}, Ssm},
    {Service::kSsm, "PutParameter", Access::kWrite, {.human = 0.3, .ci = 1}, Ssm},
    {Service::kSsm, "DescribeInstanceInformation", Access::kRead, {.human = 3, .scanner = 4}, Ssm},
    {Service::kSsm, "UpdateInstanceInformation", Access::kWrite, {.workload = 40}, Ssm, Errors::kNone, kEc2Agent},
    {Service::kSsm, "ListInstanceAssociations", Access::kRead, {.workload = 20}, Ssm, Errors::kNone, kEc2Agent},
    {Service::kSsm, "UpdateInstanceAssociationStatus", Access::kWrite, {.workload = 4}, Ssm, Errors::kNone, kEc2Agent},
    {Service::kSsm, "StartSession", Access::kWrite, {.human = 3}, Ssm},
    {Service::kSsm, "TerminateSession", Access::kWrite, {.human = 2}, Ssm},
    {Service::kSsm, "SendCommand", Access::kWrite, {.human = 0.3, .automation = 0.5, .ci = 0.5}, Ssm},
    {Service::kSsm, "DescribeSessions", Access::kRead, {.human = 0.5, .scanner = 1}, Ssm},
    {Service::kSsm, "ListCommands", Access::kRead, {.human = 0.5}, Ssm},
    // SNS
    {Service::kSns, "Publish", Access::kDataWrite, {.human = 0.2, .automation = 6, .workload = 20, .service = 10}, Sns},
    {Service::kSns, "ListTopics", Access::kRead, {.human = 1, .ci = 1, .scanner = 5}, Sns},
    {Service::kSns, "GetTopicAttributes", Access::kRead, {.human = 1, .ci = 6, .scanner = 5}, Sns},
    {Service::kSns, "ListSubscriptionsByTopic", Access::kRead, {.human = 0.5, .ci = 2, .scanner = 3}, Sns},
    {Service::kSns, "Subscribe", Access::kWrite, {.human = 0.1, .ci = 0.3}, Sns},
    {Service::kSns, "CreateTopic", Access::kWrite, {.ci = 0.2}, Sns},
    // SQS
    {Service::kSqs, "SendMessage", Access::kDataWrite, {.automation = 10, .workload = 40, .service = 8}, Sqs},
    {Service::kSqs, "ReceiveMessage", Access::kDataRead, {.automation = 10, .workload = 50}, Sqs},
    {Service::kSqs, "DeleteMessage", Access::kDataWrite, {.automation = 8, .workload = 35}, Sqs},
    {Service::kSqs, "ChangeMessageVisibility", Access::kDataWrite, {.workload = 3}, Sqs},
    {Service::kSqs, "GetQueueAttributes", Access::kRead, {.human = 1, .automation = 1, .workload = 3, .ci = 6, .scanner = 5}, Sqs},
    {Service::kSqs, "GetQueueUrl", Access::kRead, {.automation = 2, .workload = 4}, Sqs},
    {Service::kSqs, "ListQueues", Access::kRead, {.human = 1, .ci = 1, .scanner = 5}, Sqs},
    {Service::kSqs, "SetQueueAttributes", Access::kWrite, {.ci = 0.3}, Sqs},
    {Service::kSqs, "CreateQueue", Access::kWrite, {.ci = 0.1}, Sqs},
    {Service::kSqs, "PurgeQueue", Access::kWrite, {.human = 0.05}, Sqs},
};

}  // namespace

std::span<const ActionSpec> DataActions() { return kDataActions; }

}  // namespace trailbook::gen::internal
