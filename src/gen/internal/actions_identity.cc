// Actions of the identity services: IAM, STS, console sign-in, IAM Identity Center (SSO)
// and Organizations.
#include "gen/internal/actions.h"
#include "gen/internal/aws_shapes.h"
#include "gen/internal/event_context.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {
namespace {

using json::JsonWriter;

// The IAM user an IAM call is about: the scenario's named user, else a real one.
std::string_view TargetUser(EventContext& c) {
  if (c.scenario() != nullptr && !c.scenario()->name.empty() &&
      c.scenario()->kind == ScenarioKind::kIamPersistence) {
    return c.scenario()->name;
  }
  return c.Pick(c.res().user_names);
}

void UserArnResource(EventContext& c, std::string_view user) {
  c.Resource("AWS::IAM::User", c.GlobalArn("iam", c.Cat({"user/", user})));
}

void UserOnly(EventContext& c) {
  const std::string_view user = TargetUser(c);
  c.SetSubject(user);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", user);
  w.EndObject();
}

void RoleOnly(EventContext& c) {
  const RoleRef role = PickRole(c);
  c.SetSubject(role.name);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", role.name);
  w.EndObject();
}

void MaxItems(EventContext& c) {
  if (c.rng().Chance(0.4)) return;  // many list calls log requestParameters: null
  JsonWriter& w = c.Req();
  w.BeginObject();
  Int(w, "maxItems", c.rng().Chance(0.5) ? 100 : 1000);
  w.EndObject();
}

void PolicyArnOnly(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "policyArn", c.GlobalArn("iam", c.Cat({"policy/", c.Pick(c.res().policies)})));
  w.EndObject();
}

void CreateUser(EventContext& c) {
  const std::string_view user = TargetUser(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", user);
  if (c.rng().Chance(0.5)) WriteTags(c, w, "tags", "key", "value");
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  r.Key("user");
  r.BeginObject();
  Str(r, "path", "/");
  Str(r, "userName", user);
  Str(r, "userId", c.AwsId("AIDA", 17));
  Str(r, "arn", c.GlobalArn("iam", c.Cat({"user/", user})));
  Str(r, "createDate", c.JavaTime(c.time()));
  r.EndObject();
  r.EndObject();
  UserArnResource(c, user);
}

void CreateAccessKey(EventContext& c) {
  const std::string_view user = TargetUser(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", user);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  r.Key("accessKey");
  r.BeginObject();
  Str(r, "userName", user);
  const bool planned_key = c.scenario() != nullptr && !c.scenario()->key.empty();
  Str(r, "accessKeyId", planned_key ? std::string_view(c.scenario()->key) : c.AwsId("AKIA", 16));
  Str(r, "status", "Active");
  Str(r, "createDate", c.JavaTime(c.time()));
  r.EndObject();
  r.EndObject();
}

void AccessKeyChange(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", TargetUser(c));
  Str(w, "accessKeyId", c.AwsId("AKIA", 16));
  if (c.action().name == "UpdateAccessKey") Str(w, "status", "Inactive");
  w.EndObject();
}

void AttachUserPolicy(EventContext& c) {
  const bool admin = c.InScenario(static_cast<uint8_t>(ScenarioKind::kIamPersistence)) ||
                     c.rng().Chance(0.1);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", TargetUser(c));
  Str(w, "policyArn", admin ? std::string_view("arn:aws:iam::aws:policy/AdministratorAccess")
                            : c.GlobalArn("iam", c.Cat({"policy/", c.Pick(c.res().policies)})));
  w.EndObject();
}

void PutUserPolicy(EventContext& c) {
  const bool escalate = c.InScenario(static_cast<uint8_t>(ScenarioKind::kIamPersistence));
  const std::string_view doc =
      PolicyDocument(c, escalate ? PolicyKind::kAdministrator : PolicyKind::kS3ReadWrite,
                     c.Pick(c.res().buckets), c.rng().Chance(0.6));
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", TargetUser(c));
  Str(w, "policyName", escalate ? std::string_view("backup-maintenance") : c.Cat({c.rng().Pick(AppNames()), "-inline"}));
  Str(w, "policyDocument", doc);
  w.EndObject();
}

void CreateLoginProfile(EventContext& c) {
  const std::string_view user = TargetUser(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "userName", user);
  Bool(w, "passwordResetRequired", !c.InScenario(static_cast<uint8_t>(ScenarioKind::kIamPersistence)));
  w.EndObject();
  if (c.action().name == "UpdateLoginProfile") return;
  JsonWriter& r = c.Res();
  r.BeginObject();
  r.Key("loginProfile");
  r.BeginObject();
  Str(r, "userName", user);
  Str(r, "createDate", c.JavaTime(c.time()));
  Bool(r, "passwordResetRequired", false);
  r.EndObject();
  r.EndObject();
}

void UpdateAssumeRolePolicy(EventContext& c) {
  const RoleRef role = PickRole(c);
  const bool backdoor = c.InScenario(static_cast<uint8_t>(ScenarioKind::kIamPersistence));
  const std::string_view doc =
      backdoor ? PolicyDocument(c, PolicyKind::kTrustAccount, c.pop().vendor_accounts[1], false)
               : PolicyDocument(c, PolicyKind::kTrustGithubOidc, c.rng().Pick(AppNames()),
                                c.rng().Chance(0.5));
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", role.name);
  Str(w, "policyDocument", doc);
  w.EndObject();
}

void RolePolicyChange(EventContext& c) {
  const RoleRef role = PickRole(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", role.name);
  Str(w, "policyName", c.Cat({c.rng().Pick(AppNames()), "-access"}));
  if (c.action().name == "PutRolePolicy") {
    Str(w, "policyDocument", PolicyDocument(c, PolicyKind::kLeastPrivilege,
                                            c.Pick(c.res().tables), c.rng().Chance(0.3)));
  }
  w.EndObject();
}

void AttachRolePolicy(EventContext& c) {
  const RoleRef role = PickRole(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", role.name);
  static constexpr std::string_view kManaged[] = {
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"};
  Str(w, "policyArn", c.rng().Pick(kManaged));
  w.EndObject();
}

void CreateRole(EventContext& c) {
  const std::string_view name = c.Cat({c.rng().Pick(AppNames()), "-", c.account().name, "-role"});
  const std::string_view trust = PolicyDocument(c, PolicyKind::kTrustService, "lambda.amazonaws.com", false);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", name);
  Str(w, "assumeRolePolicyDocument", trust);
  Str(w, "path", "/");
  Str(w, "description", "Managed by Terraform");
  Int(w, "maxSessionDuration", 3600);
  WriteTags(c, w, "tags", "key", "value");
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  r.Key("role");
  r.BeginObject();
  Str(r, "path", "/");
  Str(r, "roleName", name);
  Str(r, "roleId", c.AwsId("AROA", 17));
  Str(r, "arn", c.GlobalArn("iam", c.Cat({"role/", name})));
  Str(r, "createDate", c.JavaTime(c.time()));
  Str(r, "assumeRolePolicyDocument", UrlEncode(c, trust));
  Str(r, "description", "Managed by Terraform");
  Int(r, "maxSessionDuration", 3600);
  r.EndObject();
  r.EndObject();
}

void CreatePolicyVersion(EventContext& c) {
  const std::string_view policy = c.Pick(c.res().policies);
  const std::string_view doc = PolicyDocument(c, PolicyKind::kLeastPrivilege, c.Pick(c.res().tables), false);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "policyArn", c.GlobalArn("iam", c.Cat({"policy/", policy})));
  Str(w, "policyDocument", doc);
  Bool(w, "setAsDefault", true);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  r.Key("policyVersion");
  r.BeginObject();
  Str(r, "versionId", c.Cat({"v", c.Num(c.rng().Between(2, 5))}));
  Bool(r, "isDefaultVersion", true);
  Str(r, "createDate", c.JavaTime(c.time()));
  r.EndObject();
  r.EndObject();
}

void TagRole(EventContext& c) {
  const RoleRef role = PickRole(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleName", role.name);
  WriteTags(c, w, "tags", "key", "value");
  w.EndObject();
}

void SimulatePrincipalPolicy(EventContext& c) {
  const RoleRef role = PickRole(c);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "policySourceArn", role.arn);
  w.Key("actionNames");
  w.BeginArray();
  w.String("s3:GetObject");
  w.String("kms:Decrypt");
  w.EndArray();
  w.EndObject();
}

void GetCredentialReport(EventContext& c) { (void)c; }

void DeleteSamlProvider(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "sAMLProviderArn", c.GlobalArn("iam", "saml-provider/ADFS"));
  w.EndObject();
}

void CreateServiceLinkedRole(EventContext& c) {
  static constexpr std::string_view kServices[] = {
      "elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com", "ecs.amazonaws.com",
      "rds.amazonaws.com", "guardduty.amazonaws.com"};
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "aWSServiceName", c.rng().Pick(kServices));
  w.EndObject();
}

// ---- STS --------------------------------------------------------------------------

void AssumeRole(EventContext& c) {
  const Persona& p = c.persona();
  RoleRef role{};
  std::string_view session;
  std::string_view external_id;
  int64_t duration = 3600;
  Rng& rng = c.rng();
  if (p.kind == PersonaKind::kAwsService) {
    static constexpr std::string_view kHosts[] = {
        "lambda.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com",
        "ec2.amazonaws.com", "states.amazonaws.com", "events.amazonaws.com",
        "cloudformation.amazonaws.com", "scheduler.amazonaws.com"};
    const std::string_view host = rng.Pick(kHosts);
    c.SetInvokedBy(host);
    c.SetSharedEventId();
    const Persona* target = nullptr;
    if (host.starts_with("lambda")) target = PersonaOfKind(c, PersonaKind::kLambda);
    if (host.starts_with("ecs")) target = PersonaOfKind(c, PersonaKind::kEcsTask);
    if (host.starts_with("ec2")) target = PersonaOfKind(c, PersonaKind::kEc2);
    role = target != nullptr ? PersonaRole(c, *target) : PickRole(c);
    if (host.starts_with("lambda") && target != nullptr) {
      session = target->session_base;
    } else if (host.starts_with("ec2")) {
      session = c.Pick(c.res().instances);
    } else if (host.starts_with("ecs")) {
      session = c.HexId("", 32);
    } else if (host.starts_with("cloudformation")) {
      session = "AWSCloudFormation";
    } else {
      session = c.Uuid();
    }
    duration = host.starts_with("ec2") ? 21600 : 3600;
  } else if (p.kind == PersonaKind::kVendorRole || p.kind == PersonaKind::kScannerRole) {
    role = PersonaRole(c, p);
    session = c.Cat({p.kind == PersonaKind::kVendorRole ? "vendor-integration-" : "SecurityAudit-",
                     c.Num(c.time() / kMicrosPerSecond)});
    if (p.kind == PersonaKind::kVendorRole) {
      external_id = c.pop().vendor_external_id;
      const std::string& vendor = c.pop().vendor_accounts[static_cast<size_t>(p.vendor < 0 ? 0 : p.vendor)];
      c.SetCrossAccount(vendor, c.Cat({c.AwsId("AROA", 17), ":", c.HexId("", 16)}));
    } else {
      const Account& home = c.pop().accounts[p.home_account];
      c.SetCrossAccount(home.id, c.Cat({c.AwsId("AROA", 17), ":scanner-", c.Num(rng.Between(1, 9))}));
    }
    c.SetIdentity(IdentityStyle::kCrossAccount);
    c.SetSharedEventId();
  } else {
    role = PickRole(c);
    session = p.session_base.empty() ? c.Cat({"session-", c.Num(c.time() / kMicrosPerSecond)})
                                     : std::string_view(p.session_base);
    if (IsHumanKind(p.kind)) session = p.email.empty() ? session : std::string_view(p.email);
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleArn", role.arn);
  Str(w, "roleSessionName", session);
  if (duration != 3600 || rng.Chance(0.3)) Int(w, "durationSeconds", duration);
  if (!external_id.empty()) Str(w, "externalId", external_id);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  WriteCredentials(c, r, duration);
  WriteAssumedRoleUser(c, r, role.id, role.name, session);
  r.EndObject();
  c.Resource("AWS::IAM::Role", role.arn);
}

void AssumeRoleWithWebIdentity(EventContext& c) {
  const Persona& p = c.persona();
  const bool eks = p.kind == PersonaKind::kEksPod;
  const std::string_view provider =
      eks ? c.GlobalArn("iam", c.Cat({"oidc-provider/oidc.eks.", c.region(), ".amazonaws.com/id/",
                                      c.res().eks_oidc_id}))
          : c.GlobalArn("iam", "oidc-provider/token.actions.githubusercontent.com");
  const std::string_view subject =
      eks ? c.Cat({"system:serviceaccount:", c.rng().Pick(AppNames()), ":", c.rng().Pick(AppNames())})
          : c.Cat({"repo:", kCompany, "/", c.rng().Pick(AppNames()), ":ref:refs/heads/main"});
  const std::string_view session =
      eks ? c.Cat({"botocore-session-", c.Num(c.time() / kMicrosPerSecond)}) : std::string_view("GitHubActions");
  c.SetIdentity(IdentityStyle::kWebIdentity);
  c.SetCrossAccount(provider, subject);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "roleArn", p.arn);
  Str(w, "roleSessionName", session);
  Int(w, "durationSeconds", 3600);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  WriteCredentials(c, r, 3600);
  Str(r, "subjectFromWebIdentityToken", subject);
  WriteAssumedRoleUser(c, r, p.unique_id, p.name, session);
  Str(r, "provider", provider);
  Str(r, "audience", eks ? "sts.amazonaws.com" : "sts.amazonaws.com");
  r.EndObject();
  JsonWriter& a = c.Add();
  a.BeginObject();
  Str(a, "identityProviderConnectionVerificationMethod", "IAMTrustStore");
  a.EndObject();
  c.Resource("AWS::IAM::Role", p.arn);
  c.Resource("AWS::IAM::OidcProvider", provider);
}

void AssumeRoleWithSaml(EventContext& c) {
  const Persona& p = c.persona();
  c.SetIdentity(IdentityStyle::kSaml);
  const std::string_view issuer_hash = c.Random(kBase64, 28);
  c.SetCrossAccount(issuer_hash, p.email);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "sAMLAssertionID", c.Cat({"_", c.Uuid()}));
  Str(w, "roleSessionName", p.email);
  Str(w, "principalArn", c.GlobalArn("iam", "saml-provider/ADFS"));
  Str(w, "roleArn", p.arn);
  Int(w, "durationSeconds", 3600);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  WriteCredentials(c, r, 3600);
  WriteAssumedRoleUser(c, r, p.unique_id, p.name, p.email);
  Int(r, "packedPolicySize", 6);
  Str(r, "subject", c.Cat({"ANYCOMPANY\\", p.email.substr(0, p.email.find('@'))}));
  Str(r, "subjectType", "persistent");
  Str(r, "issuer", "http://adfs.example.com/adfs/services/trust");
  Str(r, "audience", "https://signin.aws.amazon.com/saml");
  Str(r, "nameQualifier", issuer_hash);
  r.EndObject();
  c.Resource("AWS::IAM::Role", p.arn);
  c.Resource("AWS::IAM::SAMLProvider", c.GlobalArn("iam", "saml-provider/ADFS"));
}

void GetSessionToken(EventContext& c) {
  const Persona& p = c.persona();
  JsonWriter& w = c.Req();
  w.BeginObject();
  Int(w, "durationSeconds", 43200);
  if (!p.mfa_arn.empty()) Str(w, "serialNumber", p.mfa_arn);
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  WriteCredentials(c, r, 43200);
  r.EndObject();
}

void GetFederationToken(EventContext& c) {
  const std::string_view name = c.Cat({"partner-portal-", c.Num(c.rng().Between(1, 99))});
  const std::string_view policy = PolicyDocument(c, PolicyKind::kS3ReadWrite, c.Pick(c.res().buckets), false);
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "name", name);
  Int(w, "durationSeconds", 3600);
  Str(w, "policy", UrlEncode(c, policy));
  w.EndObject();
  JsonWriter& r = c.Res();
  r.BeginObject();
  WriteCredentials(c, r, 3600);
  r.Key("federatedUser");
  r.BeginObject();
  Str(r, "federatedUserId", c.Cat({c.account_id(), ":", name}));
  Str(r, "arn", c.Cat({"arn:aws:sts::", c.account_id(), ":federated-user/", name}));
  r.EndObject();
  Int(r, "packedPolicySize", 12);
  r.EndObject();
}

void DecodeAuthorizationMessage(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "encodedMessage", "HIDDEN_DUE_TO_SECURITY_REASONS");
  w.EndObject();
}

// ---- console sign-in ----------------------------------------------------------------

void ConsoleLogin(EventContext& c) {
  const Persona& p = c.persona();
  const Scenario* scenario = c.scenario();
  const uint32_t browser =
      scenario != nullptr && scenario->ua != kNoOverride ? scenario->ua : p.browser_ua;
  c.caller().user_agent = c.pop().uas[browser].text;
  c.SetNoRequestId();
  c.SetTlsHost("signin.aws.amazon.com");
  const bool hidden = c.InScenario(static_cast<uint8_t>(ScenarioKind::kConsoleBruteForce)) &&
                      c.failed() && (c.step() % 3 == 1);
  c.SetIdentity(hidden ? IdentityStyle::kHiddenUser : IdentityStyle::kSignIn);
  JsonWriter& r = c.Res();
  r.BeginObject();
  Str(r, "ConsoleLogin", c.failed() ? "Failure" : "Success");
  r.EndObject();
  JsonWriter& a = c.Add();
  a.BeginObject();
  if (p.kind != PersonaKind::kSsoUser) {
    Str(a, "LoginTo", c.Cat({"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_",
                             c.region(), "_", c.HexId("", 16)}));
  }
  Str(a, "MobileVersion", "No");
  bool mfa = !c.failed() && c.caller().mfa && p.kind != PersonaKind::kSsoUser;
  if (c.InScenario(static_cast<uint8_t>(ScenarioKind::kConsoleBruteForce))) mfa = false;
  if (c.InScenario(static_cast<uint8_t>(ScenarioKind::kRootActivity))) {
    mfa = !c.failed() && c.scenario()->variant % 3 != 0;  // a third of root sign-ins lack MFA
  }
  if (mfa) Str(a, "MFAIdentifier", p.mfa_arn);
  Str(a, "MFAUsed", mfa ? "Yes" : "No");
  a.EndObject();
}

void SignInTokenOrSwitch(EventContext& c) {
  c.SetNoRequestId();
  c.SetTlsHost("signin.aws.amazon.com");
  const bool switch_role = c.action().name == "SwitchRole";
  JsonWriter& r = c.Res();
  r.BeginObject();
  Str(r, switch_role ? "SwitchRole" : "GetSigninToken", "Success");
  r.EndObject();
  JsonWriter& a = c.Add();
  a.BeginObject();
  if (switch_role) {
    Str(a, "SwitchFrom", c.caller().arn);
    Str(a, "RedirectTo", c.Cat({"https://", c.region(), ".console.aws.amazon.com/console/home"}));
  } else {
    Str(a, "MobileVersion", "No");
  }
  a.EndObject();
}

// ---- IAM Identity Center ------------------------------------------------------------

void SsoPortal(EventContext& c) {
  c.SetIdentity(IdentityStyle::kSsoPortal);
  c.SetCrossAccount(c.res().identity_store, c.persona().email);
  if (c.action().name != "GetRoleCredentials") return;
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "accountId", c.account_id());
  Str(w, "roleName", c.persona().name.substr(15, c.persona().name.rfind('_') - 15));
  w.EndObject();
}

void SsoAdmin(EventContext& c) {
  JsonWriter& w = c.Req();
  w.BeginObject();
  Str(w, "instanceArn", c.Cat({"arn:aws:sso:::instance/ssoins-", c.res().identity_store.substr(2), "abcdef"}));
  if (c.action().name == "CreateAccountAssignment") {
    Str(w, "targetId", c.account_id());
    Str(w, "targetType", "AWS_ACCOUNT");
    Str(w, "permissionSetArn", c.Cat({"arn:aws:sso:::permissionSet/ssoins-", c.HexId("", 16), "/ps-", c.HexId("", 16)}));
    Str(w, "principalType", "USER");
    Str(w, "principalId", c.Uuid());
  }
  w.EndObject();
}

// ---- Organizations ------------------------------------------------------------------

void OrgRead(EventContext& c) {
  const std::string_view name = c.action().name;
  if (name == "DescribeOrganization" || name == "ListRoots" ||
      name == "ListAWSServiceAccessForOrganization") {
    return;
  }
  JsonWriter& w = c.Req();
  w.BeginObject();
  if (name == "DescribeAccount") {
    Str(w, "accountId", c.pop().accounts[c.rng().Index(c.pop().accounts.size())].id);
  } else if (name == "ListOrganizationalUnitsForParent") {
    Str(w, "parentId", c.Cat({"r-", c.Random(kLowerAlnum, 4)}));
  } else if (name == "ListPoliciesForTarget") {
    Str(w, "targetId", c.account_id());
    Str(w, "filter", "SERVICE_CONTROL_POLICY");
  } else {
    Int(w, "maxResults", 20);
  }
  w.EndObject();
}

constexpr uint32_t kSsoOnly = KindBit(PersonaKind::kSsoUser);
constexpr uint32_t kConsolePeople = KindBit(PersonaKind::kSsoUser) |
                                    KindBit(PersonaKind::kIamHuman) |
                                    KindBit(PersonaKind::kSamlUser) | KindBit(PersonaKind::kRoot);

const ActionSpec kIdentityActions[] = {
    // IAM reads
    {Service::kIam, "GetUser", Access::kRead, {.human = 3, .automation = 2, .ci = 2, .scanner = 8, .root = 4}, UserOnly},
    {Service::kIam, "ListUsers", Access::kRead, {.human = 3, .ci = 1, .scanner = 10, .root = 8}, MaxItems},
    {Service::kIam, "ListRoles", Access::kRead, {.human = 4, .ci = 2, .scanner = 10, .root = 3}, MaxItems},
    {Service::kIam, "GetRole", Access::kRead, {.human = 3, .ci = 30, .scanner = 12}, RoleOnly},
    {Service::kIam, "ListAttachedRolePolicies", Access::kRead, {.human = 1, .ci = 20, .scanner = 12}, RoleOnly},
    {Service::kIam, "ListRolePolicies", Access::kRead, {.human = 0.5, .ci = 20, .scanner = 10}, RoleOnly},
    {Service::kIam, "GetRolePolicy", Access::kRead, {.ci = 8, .scanner = 6}, RolePolicyChange},
    {Service::kIam, "GetPolicy", Access::kRead, {.human = 1, .ci = 15, .scanner = 8}, PolicyArnOnly},
    {Service::kIam, "GetPolicyVersion", Access::kRead, {.human = 1, .ci = 15, .scanner = 8}, PolicyArnOnly},
    {Service::kIam, "ListPolicies", Access::kRead, {.human = 2, .scanner = 6}, MaxItems},
    {Service::kIam, "GetAccountSummary", Access::kRead, {.human = 1, .scanner = 4, .root = 10}, GetCredentialReport},
    {Service::kIam, "ListAccessKeys", Access::kRead, {.human = 1, .automation = 1, .scanner = 8, .root = 3}, UserOnly},
    {Service::kIam, "GetAccessKeyLastUsed", Access::kRead, {.scanner = 6}, AccessKeyChange},
    {Service::kIam, "ListMFADevices", Access::kRead, {.human = 1, .scanner = 6, .root = 6}, UserOnly},
    {Service::kIam, "GenerateCredentialReport", Access::kRead, {.scanner = 3, .root = 1}, GetCredentialReport},
    {Service::kIam, "GetCredentialReport", Access::kRead, {.scanner = 3, .root = 1}, GetCredentialReport},
    {Service::kIam, "ListGroupsForUser", Access::kRead, {.human = 0.5, .scanner = 6}, UserOnly},
    {Service::kIam, "ListAttachedUserPolicies", Access::kRead, {.human = 0.5, .scanner = 6}, UserOnly},
    {Service::kIam, "GetAccountAuthorizationDetails", Access::kRead, {.scanner = 2}, MaxItems},
    {Service::kIam, "ListInstanceProfilesForRole", Access::kRead, {.ci = 6, .scanner = 3}, RoleOnly},
    {Service::kIam, "GetLoginProfile", Access::kRead, {.scanner = 4, .root = 1}, UserOnly},
    {Service::kIam, "ListAccountAliases", Access::kRead, {.human = 1, .scanner = 3, .root = 2}, MaxItems},
    {Service::kIam, "GetAccountPasswordPolicy", Access::kRead, {.scanner = 3, .root = 1}, GetCredentialReport},
    {Service::kIam, "SimulatePrincipalPolicy", Access::kRead, {.human = 0.2, .scanner = 1}, SimulatePrincipalPolicy},
    // IAM writes
    {Service::kIam, "CreateUser", Access::kWrite, {.human = 0.05, .ci = 0.3, .root = 0.5}, CreateUser},
    {Service::kIam, "DeleteUser", Access::kWrite, {.human = 0.02, .ci = 0.1}, UserOnly},
    {Service::kIam, "CreateAccessKey", Access::kWrite, {.human = 0.08, .ci = 0.1, .root = 0.3}, CreateAccessKey},
    {Service::kIam, "DeleteAccessKey", Access::kWrite, {.human = 0.05, .ci = 0.05}, AccessKeyChange},
    {Service::kIam, "UpdateAccessKey", Access::kWrite, {.human = 0.04}, AccessKeyChange},
    {Service::kIam, "AttachUserPolicy", Access::kWrite, {.human = 0.04, .ci = 0.1}, AttachUserPolicy},
    {Service::kIam, "DetachUserPolicy", Access::kWrite, {.human = 0.02, .ci = 0.05}, AttachUserPolicy},
    {Service::kIam, "PutUserPolicy", Access::kWrite, {.human = 0.02, .ci = 0.05}, PutUserPolicy},
    {Service::kIam, "CreateLoginProfile", Access::kWrite, {.human = 0.02, .root = 0.2}, CreateLoginProfile},
    {Service::kIam, "UpdateLoginProfile", Access::kWrite, {.human = 0.02}, CreateLoginProfile},
    {Service::kIam, "UpdateAssumeRolePolicy", Access::kWrite, {.human = 0.02, .ci = 0.4}, UpdateAssumeRolePolicy},
    {Service::kIam, "DeleteRolePolicy", Access::kWrite, {.human = 0.01, .ci = 0.2}, RolePolicyChange},
    {Service::kIam, "PutRolePolicy", Access::kWrite, {.human = 0.02, .ci = 1.0}, RolePolicyChange},
    {Service::kIam, "AttachRolePolicy", Access::kWrite, {.human = 0.02, .ci = 0.6}, AttachRolePolicy},
    {Service::kIam, "CreateRole", Access::kWrite, {.human = 0.02, .ci = 0.4}, CreateRole},
    {Service::kIam, "DeleteRole", Access::kWrite, {.ci = 0.1}, RoleOnly},
    {Service::kIam, "CreatePolicyVersion", Access::kWrite, {.ci = 0.5}, CreatePolicyVersion},
    {Service::kIam, "TagRole", Access::kWrite, {.ci = 1.0}, TagRole},
    {Service::kIam, "CreateServiceLinkedRole", Access::kWrite, {.human = 0.01, .ci = 0.05}, CreateServiceLinkedRole},
    {Service::kIam, "DeactivateMFADevice", Access::kWrite, {.human = 0.005}, UserOnly},
    {Service::kIam, "DeleteSAMLProvider", Access::kWrite, {.human = 0.002}, DeleteSamlProvider},
    // STS
    {Service::kSts, "AssumeRole", Access::kRead, {.human = 3, .automation = 2, .workload = 8, .ci = 3, .scanner = 10, .service = 20}, AssumeRole, Errors::kAssume},
    {Service::kSts, "AssumeRoleWithWebIdentity", Access::kRead, {.workload = 8, .ci = 25}, AssumeRoleWithWebIdentity, Errors::kAssume, KindBit(PersonaKind::kEksPod) | KindBit(PersonaKind::kCiRole)},
    {Service::kSts, "AssumeRoleWithSAML", Access::kRead, {.human = 60}, AssumeRoleWithSaml, Errors::kAssume, KindBit(PersonaKind::kSamlUser)},
    {Service::kSts, "GetCallerIdentity", Access::kRead, {.human = 8, .automation = 15, .workload = 8, .ci = 30, .scanner = 4, .root = 2}, GetCredentialReport, Errors::kNone},
    {Service::kSts, "GetSessionToken", Access::kRead, {.human = 1, .automation = 3}, GetSessionToken, Errors::kAssume, KindBit(PersonaKind::kIamHuman) | KindBit(PersonaKind::kIamAutomation)},
    {Service::kSts, "GetFederationToken", Access::kRead, {.automation = 1}, GetFederationToken, Errors::kAssume, KindBit(PersonaKind::kIamAutomation)},
    {Service::kSts, "DecodeAuthorizationMessage", Access::kRead, {.human = 0.2}, DecodeAuthorizationMessage},
    // Sign-in
    {Service::kSignin, "ConsoleLogin", Access::kSignIn, {.human = 2, .root = 10}, ConsoleLogin, Errors::kSignIn, kConsolePeople},
    {Service::kSignin, "GetSigninToken", Access::kSignIn, {.human = 2}, SignInTokenOrSwitch, Errors::kNone, KindBit(PersonaKind::kFederatedUser)},
    {Service::kSignin, "SwitchRole", Access::kSignIn, {.human = 0.5}, SignInTokenOrSwitch, Errors::kNone, KindBit(PersonaKind::kIamHuman)},
    // IAM Identity Center
    {Service::kSso, "Federate", Access::kRead, {.human = 2}, SsoPortal, Errors::kNone, kSsoOnly},
    {Service::kSso, "GetRoleCredentials", Access::kRead, {.human = 3}, SsoPortal, Errors::kNone, kSsoOnly},
    {Service::kSso, "ListAccounts", Access::kRead, {.human = 2}, SsoPortal, Errors::kNone, kSsoOnly},
    {Service::kSso, "ListAccountRoles", Access::kRead, {.human = 2}, SsoPortal, Errors::kNone, kSsoOnly},
    {Service::kSso, "ListPermissionSets", Access::kRead, {.human = 0.3, .scanner = 1}, SsoAdmin},
    {Service::kSso, "CreateAccountAssignment", Access::kWrite, {.human = 0.02}, SsoAdmin},
    // Organizations
    {Service::kOrganizations, "DescribeOrganization", Access::kRead, {.human = 2, .workload = 0.5, .ci = 2, .scanner = 6}, OrgRead},
    {Service::kOrganizations, "ListAccounts", Access::kRead, {.human = 1, .scanner = 4}, OrgRead},
    {Service::kOrganizations, "DescribeAccount", Access::kRead, {.human = 0.5, .scanner = 3}, OrgRead},
    {Service::kOrganizations, "ListRoots", Access::kRead, {.scanner = 2}, OrgRead},
    {Service::kOrganizations, "ListOrganizationalUnitsForParent", Access::kRead, {.scanner = 2}, OrgRead},
    {Service::kOrganizations, "ListPoliciesForTarget", Access::kRead, {.scanner = 2}, OrgRead},
    {Service::kOrganizations, "ListAWSServiceAccessForOrganization", Access::kRead, {.scanner = 1}, OrgRead},
};

}  // namespace

std::span<const ActionSpec> IdentityActions() { return kIdentityActions; }

}  // namespace trailbook::gen::internal
