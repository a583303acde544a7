package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"

	"github.com/IBM/sarama"
)

type checkout struct {
	cartSvcAddr         string
	cartSvcClient       CartServiceClient
	KafkaProducerClient sarama.AsyncProducer
}

func mustMapEnv(target *string, envKey string) {
	v := os.Getenv(envKey)
	if v == "" {
		panic(fmt.Sprintf("environment variable %q not set", envKey))
	}
	*target = v
}

func main() {
	var port string
	mustMapEnv(&port, "CHECKOUT_PORT")

	svc := new(checkout)
	mustMapEnv(&svc.cartSvcAddr, "CART_ADDR")

	brokers := os.Getenv("KAFKA_ADDR")
	if brokers != "" {
		config := sarama.NewConfig()
		config.Producer.Return.Successes = true
		config.Producer.RequiredAcks = sarama.NoResponse
		producer, err := sarama.NewAsyncProducer([]string{brokers}, config)
		if err != nil {
			log.Fatal(err)
		}
		svc.KafkaProducerClient = producer
	}

	lis, err := net.Listen("tcp", fmt.Sprintf(":%s", port))
	if err != nil {
		log.Fatal(err)
	}
	_ = lis
}

func (cs *checkout) PlaceOrder(ctx context.Context, req *PlaceOrderRequest) (*PlaceOrderResponse, error) {
	prep, err := cs.prepareOrderItemsAndShippingQuoteFromCart(ctx, req.UserId)
	if err != nil {
		return nil, err
	}
	txID, err := cs.chargeCard(ctx, prep.total, req.CreditCard)
	if err != nil {
		return nil, fmt.Errorf("failed to charge card: %w", err)
	}
	shippingTrackingID, err := cs.shipOrder(ctx, req.Address, prep.items)
	if err != nil {
		return nil, fmt.Errorf("shipping error: %w", err)
	}

	_ = cs.emptyUserCart(ctx, req.UserId)

	orderResult := &OrderResult{TransactionId: txID, ShippingTrackingId: shippingTrackingID}
	if err := cs.sendOrderConfirmation(ctx, req.Email, orderResult); err != nil {
		log.Printf("failed to send order confirmation to %q: %+v", req.Email, err)
	}

	if cs.KafkaProducerClient != nil {
		cs.sendToPostProcessor(ctx, orderResult)
	}
	return &PlaceOrderResponse{Order: orderResult}, nil
}

func (cs *checkout) emptyUserCart(ctx context.Context, userID string) error {
	if _, err := cs.cartSvcClient.EmptyCart(ctx, &EmptyCartRequest{UserId: userID}); err != nil {
		return fmt.Errorf("failed to empty user cart during checkout: %w", err)
	}
	return nil
}

func (cs *checkout) sendToPostProcessor(ctx context.Context, result *OrderResult) {
	message, err := encodeOrder(result)
	if err != nil {
		log.Printf("failed to marshal order: %v", err)
		return
	}
	msg := sarama.ProducerMessage{Topic: "orders", Value: sarama.ByteEncoder(message)}
	cs.KafkaProducerClient.Input() <- &msg
	select {
	case <-cs.KafkaProducerClient.Successes():
		log.Printf("order sent to kafka")
	case err := <-cs.KafkaProducerClient.Errors():
		log.Printf("failed to send order to kafka: %v", err)
	}
}
