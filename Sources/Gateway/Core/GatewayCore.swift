// GatewayCore module
