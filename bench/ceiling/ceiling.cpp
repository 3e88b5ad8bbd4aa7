// `sybench-ceiling`: the ceiling for ingest on this machine (docs/performance.md,
// ingest_ceiling_per_s). A minimal Beast HTTP/1.1 server built the way ingest's listener is
// (one io_context, 2 threads, a strand per connection, TCP_NODELAY, keep-alive) that reads
// each request whole (into a read buffer reserved as ingest's is) and answers 202 with a body
// the size of ingest's, doing no other work: no signature, no parsing of the body, no Kafka.
// wrk sends it the same webhooks as ingest.
//
// With --bootstrap it is the ceiling for an ingest that keeps its promise (ingest_acked_ceiling_*):
// each request's body is produced, unchanged, with ingest's producer (common/kafka_producer.h:
// acks=all, idempotent, ingest's 0.5 ms linger) and the 202 goes out only once Kafka acknowledged
// it, from the connection's strand, as ingest answers. Still no signature, no parsing, no envelope.
//
//   sybench-ceiling --listen 127.0.0.1:0 --port-file FILE [--threads 2]
//                   [--bootstrap HOST:PORT --topic TOPIC [--properties FILE]]
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/env.h"
#include "common/http_server.h"  // ServerOptions: the read buffer ingest reserves
#include "common/kafka_producer.h"
#include "common/kafka_properties.h"

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// The size and shape of ingest's 202 for one change.
const std::string kAccepted =
    R"({"status":"accepted","trace_id":"00000000000000000000000000000000","idempotency_keys":[")" +
    std::string(64, '0') + R"("]})";

// Where an acknowledged ceiling produces; unset for the do-nothing one.
struct Sink {
  std::unique_ptr<switchyard::KafkaProducer> producer;
  std::string topic;
  std::atomic<uint64_t> next_key{0};  // spreads the bodies over the partitions, as ingest's record keys do
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Sink* sink) : stream_(std::move(socket)), sink_(sink) {
    buffer_.reserve(switchyard::http::ServerOptions{}.read_buffer_bytes);
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  void start() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this())); }

 private:
  void read() {
    request_ = {};
    bhttp::async_read(stream_, buffer_, request_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, size_t) {
    if (ec) return close();
    if (sink_ == nullptr) return answer(true);
    const std::string key = std::to_string(sink_->next_key.fetch_add(1, std::memory_order_relaxed));
    sink_->producer->produce_owned(sink_->topic, key, std::move(request_.body()), {},
                                   [self = shared_from_this()](const switchyard::DeliveryResult& r) {
                                     net::post(self->stream_.get_executor(), [self, ok = r.ok] { self->answer(ok); });
                                   });
  }
  void answer(bool acknowledged) {
    response_ = {};
    response_.version(11);
    response_.result(acknowledged ? bhttp::status::accepted : bhttp::status::service_unavailable);
    response_.set(bhttp::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = kAccepted;
    response_.prepare_payload();
    bhttp::async_write(stream_, response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, size_t) {
    if (ec || !response_.keep_alive()) return close();
    read();
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Sink* sink_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
};

void accept(tcp::acceptor& acceptor, net::io_context& ioc, Sink* sink) {
  acceptor.async_accept(net::make_strand(ioc), [&acceptor, &ioc, sink](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket), sink)->start();
    if (acceptor.is_open()) accept(acceptor, ioc, sink);
  });
}

int usage() {
  std::cerr << "usage: sybench-ceiling --listen HOST:PORT --port-file FILE [--threads N]"
               " [--bootstrap HOST:PORT --topic TOPIC [--properties FILE]]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0", port_file, properties;
  int threads = 2;
  switchyard::KafkaSettings kafka;
  kafka.client_id = "sybench-ceiling";
  kafka.linger_ms = 0.5;  // ingest's default (services/ingest/main.cpp)
  auto sink = std::make_unique<Sink>();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--listen") listen = value;
    else if (flag == "--port-file") port_file = value;
    else if (flag == "--threads") threads = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--bootstrap") kafka.bootstrap_servers = value;
    else if (flag == "--topic") sink->topic = value;
    else if (flag == "--properties") properties = value;
    else return usage();
  }
  if (argc % 2 == 0 || port_file.empty() || kafka.bootstrap_servers.empty() != sink->topic.empty()) return usage();
  if (kafka.bootstrap_servers.empty()) {
    sink.reset();  // the do-nothing ceiling
  } else {
    if (!properties.empty()) kafka.extra = switchyard::read_kafka_properties(properties, switchyard::Env());
    auto producer = switchyard::KafkaProducer::create(kafka);
    if (!producer) {
      std::cerr << "sybench-ceiling: " << producer.error().message << "\n";
      return 1;
    }
    sink->producer = std::move(*producer);
    // The first produce waits for the topic's metadata: done before the port file says "ready".
    if (const auto r = sink->producer->produce_sync(sink->topic, "warmup", "{}", {}); !r.ok) {
      std::cerr << "sybench-ceiling: cannot produce to " << sink->topic << ": " << r.error << "\n";
      return 1;
    }
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return usage();

  net::io_context ioc;
  tcp::acceptor acceptor(net::make_strand(ioc));
  const tcp::endpoint endpoint(net::ip::make_address(listen.substr(0, colon)),
                               static_cast<unsigned short>(std::atoi(listen.c_str() + colon + 1)));
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  accept(acceptor, ioc, sink.get());

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });

  {
    std::ofstream out(port_file + ".tmp");
    out << acceptor.local_endpoint().port() << "\n";
  }
  std::rename((port_file + ".tmp").c_str(), port_file.c_str());

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  // The producer goes first, while the io_context still exists: its last delivery reports post
  // their answers there (to be dropped with it) rather than to a destroyed one.
  sink.reset();
  return 0;
}
