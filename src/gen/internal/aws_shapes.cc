#include "gen/internal/aws_shapes.h"

#include "gen/internal/model.h"

namespace trailbook::gen::internal {

void WriteCredentials(EventContext& c, json::JsonWriter& w, int64_t duration_seconds) {
  w.Key("credentials");
  w.BeginObject();
  Str(w, "accessKeyId", c.AwsId("ASIA", 16));
  Str(w, "sessionToken", c.SessionToken());
  Str(w, "expiration", c.JavaTime(c.time() + duration_seconds * kMicrosPerSecond));
  w.EndObject();
}

void WriteAssumedRoleUser(EventContext& c, json::JsonWriter& w, std::string_view role_id,
                          std::string_view role_name, std::string_view session) {
  w.Key("assumedRoleUser");
  w.BeginObject();
  Str(w, "assumedRoleId", c.Cat({role_id, ":", session}));
  Str(w, "arn", c.Cat({"arn:aws:sts::", c.account_id(), ":assumed-role/", role_name, "/",
                       session}));
  w.EndObject();
}

namespace {

// Writes a statement list into `w` (a JsonWriter in pretty or compact mode).
void Statement(json::JsonWriter& w, std::string_view sid, std::string_view effect,
               std::initializer_list<std::string_view> actions,
               std::initializer_list<std::string_view> resources) {
  w.BeginObject();
  if (!sid.empty()) Str(w, "Sid", sid);
  Str(w, "Effect", effect);
  w.Key("Action");
  if (actions.size() == 1) {
    w.String(*actions.begin());
  } else {
    w.BeginArray();
    for (std::string_view a : actions) w.String(a);
    w.EndArray();
  }
  w.Key("Resource");
  if (resources.size() == 1) {
    w.String(*resources.begin());
  } else {
    w.BeginArray();
    for (std::string_view r : resources) w.String(r);
    w.EndArray();
  }
}

void Principal(json::JsonWriter& w, std::string_view kind, std::string_view value) {
  w.Key("Principal");
  if (kind.empty()) {
    w.String(value);
    return;
  }
  w.BeginObject();
  Str(w, kind, value);
  w.EndObject();
}

}  // namespace

std::string_view PolicyDocument(EventContext& c, PolicyKind kind, std::string_view resource,
                                bool pretty) {
  json::JsonWriter w(pretty);
  w.BeginObject();
  Str(w, "Version", "2012-10-17");
  w.Key("Statement");
  w.BeginArray();
  switch (kind) {
    case PolicyKind::kS3ReadWrite: {
      const std::string_view bucket = c.Cat({"arn:aws:s3:::", resource});
      Statement(w, "ReadWriteObjects", "Allow", {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
                {c.Cat({bucket, "/*"})});
      w.EndObject();
      Statement(w, "ListBucket", "Allow", {"s3:ListBucket"}, {bucket});
      w.EndObject();
      break;
    }
    case PolicyKind::kAdministrator:
      Statement(w, "", "Allow", {"*"}, {"*"});
      w.EndObject();
      break;
    case PolicyKind::kTrustService:
    case PolicyKind::kTrustAccount:
    case PolicyKind::kTrustGithubOidc: {
      w.BeginObject();
      Str(w, "Effect", "Allow");
      if (kind == PolicyKind::kTrustService) {
        Principal(w, "Service", resource);
        Str(w, "Action", "sts:AssumeRole");
      } else if (kind == PolicyKind::kTrustAccount) {
        Principal(w, "AWS", c.Cat({"arn:aws:iam::", resource, ":root"}));
        Str(w, "Action", "sts:AssumeRole");
      } else {
        Principal(w, "Federated",
                  c.GlobalArn("iam", "oidc-provider/token.actions.githubusercontent.com"));
        Str(w, "Action", "sts:AssumeRoleWithWebIdentity");
        w.Key("Condition");
        w.BeginObject();
        w.Key("StringLike");
        w.BeginObject();
        Str(w, "token.actions.githubusercontent.com:sub", c.Cat({"repo:", kCompany, "/", resource, ":*"}));
        w.EndObject();
        w.EndObject();
      }
      w.EndObject();
      break;
    }
    case PolicyKind::kBucketPublic:
      w.BeginObject();
      Str(w, "Sid", "PublicRead");
      Str(w, "Effect", "Allow");
      Principal(w, "", "*");
      Str(w, "Action", "s3:GetObject");
      Str(w, "Resource", c.Cat({"arn:aws:s3:::", resource, "/*"}));
      w.EndObject();
      break;
    case PolicyKind::kBucketTls:
      w.BeginObject();
      Str(w, "Sid", "DenyInsecureTransport");
      Str(w, "Effect", "Deny");
      Principal(w, "", "*");
      Str(w, "Action", "s3:*");
      w.Key("Resource");
      w.BeginArray();
      w.String(c.Cat({"arn:aws:s3:::", resource}));
      w.String(c.Cat({"arn:aws:s3:::", resource, "/*"}));
      w.EndArray();
      w.Key("Condition");
      w.BeginObject();
      w.Key("Bool");
      w.BeginObject();
      Str(w, "aws:SecureTransport", "false");
      w.EndObject();
      w.EndObject();
      w.EndObject();
      break;
    case PolicyKind::kQueueFromTopic:
      w.BeginObject();
      Str(w, "Effect", "Allow");
      Principal(w, "Service", "sns.amazonaws.com");
      Str(w, "Action", "sqs:SendMessage");
      Str(w, "Resource", c.Arn("sqs", resource));
      w.EndObject();
      break;
    case PolicyKind::kLeastPrivilege:
      Statement(w, "", "Allow", {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"},
                {c.Arn("dynamodb", c.Cat({"table/", resource}))});
      w.EndObject();
      Statement(w, "", "Allow", {"secretsmanager:GetSecretValue"},
                {c.Arn("secretsmanager", c.Cat({"secret:", resource, "*"}))});
      w.EndObject();
      break;
  }
  w.EndArray();
  w.EndObject();
  return c.Cat({w.str()});
}

std::string_view UrlEncode(EventContext& c, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 2);
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
        u == '-' || u == '_' || u == '.' || u == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return c.Cat({out});
}

void WriteTags(EventContext& c, json::JsonWriter& w, std::string_view field,
               std::string_view key_name, std::string_view value_name) {
  static constexpr std::string_view kKeys[] = {"Team", "Environment", "CostCenter", "Owner",
                                               "Service", "ManagedBy"};
  w.Key(field);
  w.BeginArray();
  const size_t n = 1 + c.rng().Index(4);
  for (size_t i = 0; i < n; ++i) {
    w.BeginObject();
    const std::string_view key = kKeys[(i + c.rng().Index(2)) % std::size(kKeys)];
    Str(w, key_name, key);
    std::string_view value;
    if (key == "Environment") {
      value = c.account().name;
    } else if (key == "CostCenter") {
      value = c.Cat({"cc-", c.Num(c.rng().Between(1000, 9999))});
    } else if (key == "ManagedBy") {
      value = c.rng().Chance(0.7) ? "terraform" : "cloudformation";
    } else if (key == "Owner") {
      value = c.Cat({c.rng().Pick(FirstNames()), "@", kEmailDomain});
    } else {
      value = c.rng().Pick(AppNames());
    }
    Str(w, value_name, value);
    w.EndObject();
  }
  w.EndArray();
}

std::string_view ObjectKey(EventContext& c) {
  const std::string& prefix = c.res().objects_prefixes.Pick(c.rng());
  Rng& r = c.rng();
  switch (r.Below(6)) {
    case 0:
      return c.Cat({prefix, "part-", c.Num(r.Between(10000, 99999)), "-", c.Uuid(),
                    ".c000.snappy.parquet"});
    case 1: return c.Cat({prefix, c.Uuid(), ".json.gz"});
    case 2: return c.Cat({prefix, "IMG_", c.Num(r.Between(1000, 9999)), ".jpg"});
    case 3:
      return c.Cat({prefix, c.rng().Pick(AppNames()), "/", c.Num(r.Between(1, 28)), "/",
                    c.HexId("", 12), ".csv"});
    case 4: return c.Cat({prefix, "report-", c.Num(r.Between(20240101, 20261031)), ".pdf"});
    default: return c.Cat({prefix, c.Random(kLowerAlnum, 20), ".bin"});
  }
}

RoleRef PickRole(EventContext& c) {
  const std::string& item = c.res().role_names.Pick(c.rng());
  const size_t slash = item.rfind('/');
  const std::string_view name =
      slash == std::string::npos ? std::string_view(item) : std::string_view(item).substr(slash + 1);
  for (uint32_t id : c.account().by_kind[static_cast<size_t>(PersonaKind::kLambda)]) {
    const Persona& p = c.model().persona(id);
    if (p.name == name) return PersonaRole(c, p);
  }
  return {c.GlobalArn("iam", c.Cat({"role/", item})), name, c.AwsId("AROA", 17)};
}

RoleRef PersonaRole(EventContext& c, const Persona& p) {
  (void)c;
  return {p.arn, p.name, p.unique_id};
}

const Persona* PersonaOfKind(EventContext& c, PersonaKind kind) {
  const auto& ids = c.account().by_kind[static_cast<size_t>(kind)];
  if (ids.empty()) return nullptr;
  return &c.model().persona(ids[c.rng().Index(ids.size())]);
}

}  // namespace trailbook::gen::internal
