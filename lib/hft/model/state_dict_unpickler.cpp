#include "hft/model/state_dict_unpickler.h"

#include <ATen/ops/empty.h>
#include <c10/core/Storage.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace hft::model {
namespace {

// A value on the pickle machine's stack.
struct Value {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Tensor, Global };
  Kind kind = Kind::None;
  int64_t number = 0;                         // Bool, Int
  std::string text;                           // String; Global: "module.name"
  std::shared_ptr<std::vector<Value>> items;  // Tuple, List; Dict: key, value, key, value, ... in order
  torch::Tensor tensor;                       // Tensor
};

// The typed storages of torch.save's persistent ids (torch.FloatStorage, ...).
const std::map<std::string, torch::ScalarType>& storage_types() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat32}, {"torch.DoubleStorage", torch::kFloat64},
      {"torch.HalfStorage", torch::kFloat16},  {"torch.BFloat16Storage", torch::kBFloat16},
      {"torch.LongStorage", torch::kInt64},    {"torch.IntStorage", torch::kInt32},
      {"torch.ShortStorage", torch::kInt16},   {"torch.CharStorage", torch::kInt8},
      {"torch.ByteStorage", torch::kUInt8},    {"torch.BoolStorage", torch::kBool},
  };
  return types;
}

bool allowed_global(const std::string& name) {
  return name == "collections.OrderedDict" || name == "torch._utils._rebuild_tensor_v2" ||
         name == "torch._utils._rebuild_parameter" || storage_types().count(name) > 0;
}

// The pickle virtual machine, restricted to the opcodes of protocols 2-4 that state dicts use.
class Machine {
 public:
  Machine(const std::string& pickle, const StorageRecordReader& read_record) : in_(pickle), read_record_(read_record) {}
  // A pickle can put a list or dict inside itself, a cycle of shared_ptrs that would never be
  // freed: every container this machine made is emptied when it ends.
  ~Machine() {
    for (const auto& items : containers_) items->clear();
  }
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  Value run() {
    for (;;) {
      const uint8_t opcode = read_byte();
      if (opcode == '.') return pop();
      step(opcode);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("pickle byte " + std::to_string(pos_) + ": " + what);
  }

  const char* read(size_t n) {
    if (n > in_.size() - pos_) fail("the pickle ends early");
    const char* at = in_.data() + pos_;
    pos_ += n;
    return at;
  }
  uint8_t read_byte() { return static_cast<uint8_t>(*read(1)); }
  template <class T>
  T read_little() {  // little-endian, as pickle stores its binary integers
    T value;
    std::memcpy(&value, read(sizeof(T)), sizeof(T));
    return value;
  }
  std::string read_line() {
    const size_t end = in_.find('\n', pos_);
    if (end == std::string::npos) fail("the pickle ends early");
    std::string line = in_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return line;
  }
  std::string read_string(uint64_t size) {
    if (size > in_.size()) fail("a string longer than the pickle");
    return std::string(read(static_cast<size_t>(size)), static_cast<size_t>(size));
  }

  void push(Value value) { stack_.push_back(std::move(value)); }
  Value pop() {
    if (stack_.size() <= (marks_.empty() ? 0 : marks_.back())) fail("the stack is empty");
    Value value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  Value& top() {
    if (stack_.empty()) fail("the stack is empty");
    return stack_.back();
  }
  std::vector<Value> pop_to_mark() {
    if (marks_.empty()) fail("no mark on the stack");
    const size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<Value> values(std::make_move_iterator(stack_.begin() + static_cast<std::ptrdiff_t>(mark)),
                              std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return values;
  }
  Value& expect(Value& value, Value::Kind kind, const char* what) {
    if (value.kind != kind) fail(std::string("expected ") + what);
    return value;
  }
  Value make(Value::Kind kind) {  // an empty tuple, list or dict
    containers_.push_back(std::make_shared<std::vector<Value>>());
    return Value{kind, 0, {}, containers_.back(), {}};
  }
  Value tuple_of(std::vector<Value> values) {
    Value tuple = make(Value::Kind::Tuple);
    *tuple.items = std::move(values);
    return tuple;
  }
  Value integer(int64_t n) { return Value{Value::Kind::Int, n, {}, nullptr, {}}; }

  void push_global(const std::string& module, const std::string& name) {
    const std::string full = module + "." + name;
    if (!allowed_global(full)) fail("refuses `" + full + "`; a state dict holds only tensors");
    push(Value{Value::Kind::Global, 0, full, nullptr, {}});
  }

  void memo_put(uint64_t index) { memo_[index] = top(); }
  void memo_get(uint64_t index) {
    const auto it = memo_.find(index);
    if (it == memo_.end()) fail("refers to memo entry " + std::to_string(index) + ", never stored");
    push(it->second);
  }

  void set_items(Value& dict, std::vector<Value> pairs) {
    expect(dict, Value::Kind::Dict, "a dict to set items in");
    if (pairs.size() % 2) fail("an odd number of dict keys and values");
    for (auto& v : pairs) dict.items->push_back(std::move(v));
  }

  void step(uint8_t opcode) {
    switch (opcode) {
      case 0x80: if (read_byte() > 5) fail("unknown pickle protocol"); break;   // PROTO
      case 0x95: read(8); break;                                               // FRAME
      case 'c': { const std::string module = read_line(); push_global(module, read_line()); break; }  // GLOBAL
      case 0x93: {                                                              // STACK_GLOBAL
        Value name = pop(), module = pop();
        push_global(expect(module, Value::Kind::String, "a module name").text,
                    expect(name, Value::Kind::String, "a global name").text);
        break;
      }
      case 'q': memo_put(read_byte()); break;                                  // BINPUT
      case 'r': memo_put(read_little<uint32_t>()); break;                      // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); break;                                // MEMOIZE
      case 'h': memo_get(read_byte()); break;                                  // BINGET
      case 'j': memo_get(read_little<uint32_t>()); break;                      // LONG_BINGET
      case '(': marks_.push_back(stack_.size()); break;                        // MARK
      case ')': push(make(Value::Kind::Tuple)); break;                         // EMPTY_TUPLE
      case 't': push(tuple_of(pop_to_mark())); break;                          // TUPLE
      case 0x85: case 0x86: case 0x87: {                                       // TUPLE1..3
        std::vector<Value> values(opcode - 0x84);
        for (auto it = values.rbegin(); it != values.rend(); ++it) *it = pop();
        push(tuple_of(std::move(values)));
        break;
      }
      case ']': push(make(Value::Kind::List)); break;                          // EMPTY_LIST
      case 'a': { Value v = pop(); expect(top(), Value::Kind::List, "a list").items->push_back(std::move(v)); break; }
      case 'e': {                                                               // APPENDS
        std::vector<Value> values = pop_to_mark();
        for (auto& v : values) expect(top(), Value::Kind::List, "a list").items->push_back(std::move(v));
        break;
      }
      case '}': push(make(Value::Kind::Dict)); break;                          // EMPTY_DICT
      case 's': { Value value = pop(), key = pop(); set_items(top(), {std::move(key), std::move(value)}); break; }
      case 'u': { std::vector<Value> pairs = pop_to_mark(); set_items(top(), std::move(pairs)); break; }  // SETITEMS
      case 'X': push(Value{Value::Kind::String, 0, read_string(read_little<uint32_t>()), nullptr, {}}); break;
      case 0x8c: push(Value{Value::Kind::String, 0, read_string(read_byte()), nullptr, {}}); break;
      case 0x8d: push(Value{Value::Kind::String, 0, read_string(read_little<uint64_t>()), nullptr, {}}); break;
      case 'J': push(integer(read_little<int32_t>())); break;                  // BININT
      case 'K': push(integer(read_byte())); break;                             // BININT1
      case 'M': push(integer(read_little<uint16_t>())); break;                 // BININT2
      case 0x8a: {                                                              // LONG1: little-endian two's complement
        const uint8_t size = read_byte();
        if (size > 8) fail("an integer wider than 64 bits");
        uint64_t bits = 0;
        const char* bytes = read(size);
        for (uint8_t i = 0; i < size; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
        if (size > 0 && size < 8 && (bytes[size - 1] & 0x80)) bits |= ~uint64_t{0} << (8 * size);  // sign-extend
        push(integer(static_cast<int64_t>(bits)));
        break;
      }
      case 'G': read(8); push(Value{Value::Kind::Float, 0, {}, nullptr, {}}); break;  // BINFLOAT (value unused)
      case 'N': push(Value{}); break;
      case 0x88: push(Value{Value::Kind::Bool, 1, {}, nullptr, {}}); break;    // NEWTRUE
      case 0x89: push(Value{Value::Kind::Bool, 0, {}, nullptr, {}}); break;    // NEWFALSE
      case 'Q': { Value id = pop(); push(load_storage(expect(id, Value::Kind::Tuple, "a storage id tuple"))); break; }
      case 'R': {                                                               // REDUCE
        Value args = pop(), callable = pop();
        push(call(expect(callable, Value::Kind::Global, "a callable").text,
                  *expect(args, Value::Kind::Tuple, "an argument tuple").items));
        break;
      }
      case 'b': {  // BUILD: only an OrderedDict's attributes (state_dict()._metadata), which hft does not need
        pop();
        expect(top(), Value::Kind::Dict, "a state dict to BUILD");
        break;
      }
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", opcode);
        fail(std::string("unsupported pickle opcode ") + hex);
      }
    }
  }

  // ('storage', torch.FloatStorage, key, location, numel) -> a 1-D tensor over record data/<key>.
  Value load_storage(const Value& id) {
    const auto& f = *id.items;
    if (f.size() != 5 || f[0].kind != Value::Kind::String || f[0].text != "storage" || f[1].kind != Value::Kind::Global ||
        f[2].kind != Value::Kind::String || f[4].kind != Value::Kind::Int || f[4].number < 0)
      fail("expected a storage id ('storage', type, key, location, size)");
    const auto type = storage_types().find(f[1].text);
    if (type == storage_types().end()) fail("`" + f[1].text + "` is not a storage type");
    auto cached = storages_.find(f[2].text);
    if (cached == storages_.end()) {
      auto [data, bytes] = read_record_(f[2].text);
      const uint64_t element = c10::elementSize(type->second);
      if (bytes % element != 0) fail("storage " + f[2].text + " holds a partial element");
      const int64_t numel = static_cast<int64_t>(bytes / element);
      torch::Tensor tensor;
      if (data.device().is_meta()) {  // shapes only: a meta tensor of the storage's size, no bytes
        tensor = at::empty({numel}, torch::TensorOptions().dtype(type->second).device(at::kMeta));
      } else {
        c10::Storage storage(c10::Storage::use_byte_size_t(), bytes, std::move(data), nullptr, false);
        tensor = at::empty({0}, torch::TensorOptions().dtype(type->second)).set_(storage, 0, {numel}, {1});
      }
      cached = storages_.emplace(f[2].text, tensor).first;
    }
    if (cached->second.scalar_type() != type->second || cached->second.numel() < f[4].number)
      fail("storage " + f[2].text + " is smaller than its id says, or stored twice with two types");
    return Value{Value::Kind::Tensor, 0, {}, nullptr, cached->second};
  }

  std::vector<int64_t> sizes(const Value& value, const char* what) {
    if (value.kind != Value::Kind::Tuple) fail(std::string("expected the tensor's ") + what);
    std::vector<int64_t> out;
    for (const auto& item : *value.items) {
      if (item.kind != Value::Kind::Int || item.number < 0) fail(std::string("a negative or non-integer ") + what);
      out.push_back(item.number);
    }
    return out;
  }

  // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]): a view of
  // the storage, checked to stay inside it.
  torch::Tensor rebuild_tensor(const std::vector<Value>& args) {
    if (args.size() < 4 || args[0].kind != Value::Kind::Tensor || args[1].kind != Value::Kind::Int || args[1].number < 0)
      fail("expected _rebuild_tensor_v2(storage, offset, size, stride, ...)");
    const std::vector<int64_t> size = sizes(args[2], "size"), stride = sizes(args[3], "stride");
    if (size.size() != stride.size()) fail("a tensor's size and stride differ in length");
    const torch::Tensor& storage = args[0].tensor;
    uint64_t last = static_cast<uint64_t>(args[1].number);  // the highest element index the view reads
    bool empty = false;
    for (size_t i = 0; i < size.size(); ++i) {
      empty = empty || size[i] == 0;
      uint64_t reach = 0;
      if (size[i] > 0 && (__builtin_mul_overflow(static_cast<uint64_t>(size[i] - 1), static_cast<uint64_t>(stride[i]), &reach) ||
                          __builtin_add_overflow(last, reach, &last)))
        fail("a tensor's size is too large");
    }
    if (empty) return at::empty(size, storage.options());
    if (last >= static_cast<uint64_t>(storage.numel()))
      fail("a tensor reaches element " + std::to_string(last) + " of a storage of " + std::to_string(storage.numel()));
    return storage.as_strided(size, stride, args[1].number);
  }

  Value call(const std::string& callable, const std::vector<Value>& args) {
    if (callable == "collections.OrderedDict") {
      if (!args.empty()) fail("expected OrderedDict()");
      return make(Value::Kind::Dict);
    }
    if (callable == "torch._utils._rebuild_tensor_v2") return Value{Value::Kind::Tensor, 0, {}, nullptr, rebuild_tensor(args)};
    if (callable == "torch._utils._rebuild_parameter") {
      if (args.empty() || args[0].kind != Value::Kind::Tensor) fail("expected _rebuild_parameter(tensor, ...)");
      return args[0];
    }
    fail("`" + callable + "` cannot be called");
  }

  const std::string& in_;
  const StorageRecordReader& read_record_;
  size_t pos_ = 0;
  std::vector<Value> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, Value> memo_;
  std::map<std::string, torch::Tensor> storages_;
  std::vector<std::shared_ptr<std::vector<Value>>> containers_;
};

}  // namespace

std::vector<std::pair<std::string, torch::Tensor>> unpickle_state_dict(const std::string& pickle,
                                                                       const StorageRecordReader& read_record) {
  Machine machine(pickle, read_record);  // outlives `root`: its end frees what the pickle built
  const Value root = machine.run();
  if (root.kind != Value::Kind::Dict) throw std::runtime_error("holds no dict; expected a state dict {name: tensor}");
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  const auto& items = *root.items;
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].kind != Value::Kind::String || items[i + 1].kind != Value::Kind::Tensor)
      throw std::runtime_error("holds an entry that is not name: tensor; expected a state dict");
    tensors.emplace_back(items[i].text, items[i + 1].tensor);
  }
  return tensors;
}

}  // namespace hft::model
