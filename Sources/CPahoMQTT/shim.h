// The Eclipse Paho MQTT C client (Debian's libpaho-mqtt-dev), synchronous API without TLS.
#include <MQTTClient.h>

// The library's initializers are macros, which Swift cannot use: these functions hand them over.
static inline MQTTClient_connectOptions cityloop_mqtt_connect_options(void) {
    MQTTClient_connectOptions o = MQTTClient_connectOptions_initializer;
    return o;
}

static inline MQTTClient_message cityloop_mqtt_message(void) {
    MQTTClient_message m = MQTTClient_message_initializer;
    return m;
}

static inline MQTTClient_createOptions cityloop_mqtt_create_options(void) {
    MQTTClient_createOptions o = MQTTClient_createOptions_initializer;
    return o;
}
