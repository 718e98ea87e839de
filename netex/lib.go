package netex

import (
	"net/netip"

	"github.com/ionetsh/ionetsh/netex/iolib"
	"github.com/ionetsh/ionetsh/netex/iomux"
)

// The socket layer lives in package iolib. Its types and conditions keep
// here the names the examples, and the shell, have always used.
type (
	// Socket is an iolib stream socket; an example makes one with
	// Env.MakeSocket.
	Socket = iolib.Socket
	// Condition is a signalled condition (iolib.Condition).
	Condition = iolib.Condition
	// Kind names one of the tutorial's conditions (iolib.Kind).
	Kind = iolib.Kind
	// Family is an address family, IPv4 or IPv6 (iolib.Family).
	Family = iolib.Family
)

// The address families.
const (
	IPv4 = iolib.IPv4
	IPv6 = iolib.IPv6
)

// The event base lives in package iomux; an example makes one with
// Env.NewEventBase.
type (
	EventBase       = iomux.EventBase
	Event           = iomux.Event
	Exception       = iomux.Exception
	Handler         = iomux.Handler
	DispatchOptions = iomux.DispatchOptions
	FDHandlers      = iomux.FDHandlers
)

// The events of IOLib's set-io-handler, and the exceptions a handler is
// called with.
const (
	Read  = iomux.Read
	Write = iomux.Write
	Error = iomux.Error

	ExcNone    = iomux.ExcNone
	ExcError   = iomux.ExcError
	ExcTimeout = iomux.ExcTimeout
)

// The conditions of the tutorial, plus Interrupted for a stopped example.
const (
	EndOfFile         = iolib.EndOfFile
	Hangup            = iolib.Hangup
	ConnectionReset   = iolib.ConnectionReset
	ConnectionRefused = iolib.ConnectionRefused
	AddressInUse      = iolib.AddressInUse
	WouldBlock        = iolib.WouldBlock
	BrokenPipe        = iolib.BrokenPipe
	SocketError       = iolib.SocketError
	ResolverError     = iolib.ResolverError
	Interrupted       = iolib.Interrupted
	NotConnected      = iolib.NotConnected
	HeapExhausted     = iolib.HeapExhausted
)

// hostPort prints an address as H:P.
func hostPort(a netip.AddrPort) string { return iolib.HostPort(a) }

// hostPortList prints an address as the Lisp list (H P).
func hostPortList(a netip.AddrPort) string { return iolib.HostPortList(a) }
