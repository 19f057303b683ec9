// Micro-benchmarks of scalar function kernels on one batch (kBatchSize rows), bound the way
// the engine binds them (constant patterns, paths and units as constants).
//
//   build/src/sql/functions/scalar_functions_benchmark
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "base/check.h"
#include "sql/functions/function_registry.h"

namespace trailbook::sql {
namespace {

using T = LogicalType;

const char* kEventJson =
    R"({"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA:s",)"
    R"("arn":"arn:aws:sts::123456789012:assumed-role/Admin/s","accountId":"123456789012",)"
    R"("sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::123456789012:role/Admin"},)"
    R"("attributes":{"creationDate":"2024-05-15T10:00:00Z","mfaAuthenticated":"false"}}},)"
    R"("eventTime":"2024-05-15T13:45:30Z","eventSource":"ec2.amazonaws.com",)"
    R"("eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1",)"
    R"("sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",)"
    R"("requestParameters":{"groupId":"sg-0123","ipPermissions":{"items":[{"ipProtocol":"tcp",)"
    R"("fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}},)"
    R"("responseElements":{"_return":true},"requestID":"r","eventID":"e","readOnly":false})";

const char* kRequestParameters =
    R"({"bucketName":"logs-123","key":"AWSLogs/123/CloudTrail/us-east-1/2024/05/15/x.json.gz",)"
    R"("Host":"logs-123.s3.us-east-1.amazonaws.com","x-id":"GetObject"})";

// One bound call over a batch: arguments are columns (a Value each, repeated on every row)
// or constants (passed to bind and as constant columns).
class BoundCall {
 public:
  BoundCall(std::string_view name, std::vector<Value> columns, std::vector<Value> constants) {
    const ScalarBind* bind = FunctionRegistry::Builtin().FindScalar(name);
    TB_CHECK(bind != nullptr) << name;
    ScalarBindInput in;
    in.name = name;
    values_ = std::move(columns);
    const size_t first_constant = values_.size();
    for (Value& c : constants) values_.push_back(std::move(c));
    for (size_t i = 0; i < values_.size(); ++i) {
      in.arg_types.push_back(values_[i].type());
      in.is_lambda.push_back(false);
      in.lambda_arity.push_back(0);
      in.constants.push_back(i >= first_constant ? &values_[i] : nullptr);
    }
    Result<BoundScalarFunction> bound = (*bind)(in);
    TB_CHECK(bound.ok()) << bound.status().ToString();
    bound_ = std::move(*bound);
    for (const Value& v : values_) {
      Vector vec(v.type());
      vec.Resize(kBatchSize);
      for (size_t r = 0; r < kBatchSize; ++r) vec.SetValue(r, v);
      args_.push_back(std::move(vec));
    }
    for (Vector& v : args_) ptrs_.push_back(&v);
  }

  void Run(benchmark::State& state) {
    FunctionContext ctx;
    for (auto _ : state) {
      Vector out(bound_.return_type);
      Status s = bound_.kernel(ptrs_, kBatchSize, out, ctx, bound_.bind_data.get());
      TB_CHECK(s.ok()) << s.ToString();
      benchmark::DoNotOptimize(out.Nulls());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatchSize));
  }

 private:
  std::vector<Value> values_;
  BoundScalarFunction bound_;
  std::vector<Vector> args_;
  std::vector<Vector*> ptrs_;
};

void BM_Lower(benchmark::State& state) {
  BoundCall("lower", {Value::Varchar("AuthorizeSecurityGroupIngress")}, {}).Run(state);
}
BENCHMARK(BM_Lower);

void BM_EqVarchar(benchmark::State& state) {
  BoundCall("$eq", {Value::Varchar("ConsoleLogin"), Value::Varchar("ConsoleLogin")}, {}).Run(state);
}
BENCHMARK(BM_EqVarchar);

void BM_AddBigint(benchmark::State& state) {
  BoundCall("$add", {Value::Bigint(40), Value::Bigint(2)}, {}).Run(state);
}
BENCHMARK(BM_AddBigint);

void BM_LikePrefix(benchmark::State& state) {
  BoundCall("$like", {Value::Varchar("DescribeInstances")}, {Value::Varchar("Describe%")})
      .Run(state);
}
BENCHMARK(BM_LikePrefix);

void BM_LikeGeneral(benchmark::State& state) {
  BoundCall("$like", {Value::Varchar("arn:aws:iam::123456789012:role/Admin")},
            {Value::Varchar("arn:aws:iam::%:role/_dmin")})
      .Run(state);
}
BENCHMARK(BM_LikeGeneral);

void BM_RegexpLike(benchmark::State& state) {
  BoundCall("regexp_like", {Value::Varchar("AKIAIOSFODNN7EXAMPLE")},
            {Value::Varchar("^AKIA[0-9A-Z]{16}$")})
      .Run(state);
}
BENCHMARK(BM_RegexpLike);

void BM_Substr(benchmark::State& state) {
  BoundCall("substr",
            {Value::Varchar("arn:aws:iam::123456789012:role/Admin"), Value::Bigint(14),
             Value::Bigint(12)},
            {})
      .Run(state);
}
BENCHMARK(BM_Substr);

void BM_JsonExtractScalar(benchmark::State& state) {
  BoundCall("json_extract_scalar", {Value::Varchar(kEventJson)},
            {Value::Varchar("$.userIdentity.sessionContext.sessionIssuer.arn")})
      .Run(state);
}
BENCHMARK(BM_JsonExtractScalar);

void BM_ElementAtMap(benchmark::State& state) {
  BoundCall("element_at",
            {Value::FromText(T::Map(T::Varchar(), T::Varchar()), kRequestParameters),
             Value::Varchar("bucketName")},
            {})
      .Run(state);
}
BENCHMARK(BM_ElementAtMap);

void BM_DateTrunc(benchmark::State& state) {
  const ScalarBind* bind = FunctionRegistry::Builtin().FindScalar("date_trunc");
  TB_CHECK(bind != nullptr);
  Value unit = Value::Varchar("hour");
  ScalarBindInput in;
  in.name = "date_trunc";
  in.arg_types = {T::Varchar(), T::Timestamp()};
  in.is_lambda = {false, false};
  in.lambda_arity = {0, 0};
  in.constants = {&unit, nullptr};
  Result<BoundScalarFunction> bound = (*bind)(in);
  TB_CHECK(bound.ok());
  Vector units(T::Varchar());
  units.SetConstant(unit, kBatchSize);
  units.Flatten();
  Vector ts(T::Timestamp());
  ts.Resize(kBatchSize);
  for (size_t r = 0; r < kBatchSize; ++r) {
    ts.Data<int64_t>()[r] = 1'715'780'730'123'456 + static_cast<int64_t>(r) * 1'000'003;
  }
  Vector* args[] = {&units, &ts};
  FunctionContext ctx;
  for (auto _ : state) {
    Vector out(T::Timestamp());
    Status s = bound->kernel(args, kBatchSize, out, ctx, bound->bind_data.get());
    TB_CHECK(s.ok());
    benchmark::DoNotOptimize(out.Data<int64_t>());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatchSize));
}
BENCHMARK(BM_DateTrunc);

void BM_CastVarcharToTimestamp(benchmark::State& state) {
  BoundCall("$cast", {Value::Varchar("2024-05-15 13:45:30.123")}, {Value::Varchar("timestamp(3)")})
      .Run(state);
}
BENCHMARK(BM_CastVarcharToTimestamp);

}  // namespace
}  // namespace trailbook::sql

BENCHMARK_MAIN();
