#include "psa-sandbox/webhook_sender.h"

#include <chrono>

#include "common/http_client.h"

namespace switchyard::sandbox {

Result<int> send_webhook(const std::string& url, const WebhookMessage& message) {
  http::HttpClient client;
  http::ClientRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/json"}};
  request.headers.insert(request.headers.end(), message.headers.begin(), message.headers.end());
  request.body = message.body;
  request.timeout = std::chrono::milliseconds(10000);
  auto response = client.send(request);
  if (!response) return response.error();
  return response->status;
}

}  // namespace switchyard::sandbox
