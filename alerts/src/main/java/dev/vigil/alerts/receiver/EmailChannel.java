package dev.vigil.alerts.receiver;

import dev.vigil.model.Alert;
import dev.vigil.model.Delivery;
import dev.vigil.model.net.EgressGuard;
import jakarta.mail.Authenticator;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends each alert as an e-mail over SMTP (Angus Mail): a {@code multipart/alternative} with a
 * plain-text part and an escaped HTML part, the subject cleaned of control characters, and the
 * sender and recipients fixed by the configuration, never taken from the alert. SMTP 4xx replies
 * and connection failures may be retried; 5xx replies and rejected addresses are permanent.
 */
public final class EmailChannel implements Channel {

    private final ReceiverName name;
    private final Receiver.Email receiver;
    private final Session session;

    public EmailChannel(Receiver.Email receiver, EgressGuard guard) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.name = receiver.name();
        this.session = session(receiver, Objects.requireNonNull(guard, "guard"));
    }

    private static Session session(Receiver.Email r, EgressGuard guard) {
        Receiver.Smtp smtp = r.smtp();
        Properties p = new Properties();
        String timeout = Long.toString(r.pacing().timeout().toMillis());
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", Boolean.toString(smtp.username() != null));
        // every connection, plain, STARTTLS or SMTPS (TLS is layered on the guarded socket), goes through the guard
        p.put("mail.smtp.socketFactory", new GuardedSockets(guard));
        p.put("mail.smtp.socketFactory.fallback", "false");
        p.put("mail.smtp.ssl.checkserveridentity", Boolean.toString(smtp.checkServerIdentity()));
        switch (smtp.tls()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case SMTPS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> p.put("mail.smtp.starttls.enable", "false");
        }
        Authenticator auth = smtp.username() == null ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.username(), smtp.password().reveal());
            }
        };
        return Session.getInstance(p, auth);
    }

    @Override
    public ReceiverName name() {
        return name;
    }

    @Override
    public Delivery.Channel kind() {
        return Delivery.Channel.EMAIL;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException {
        MimeMessage message;
        try {
            message = message(alert);
        } catch (MessagingException e) {
            throw new DeliveryException(Failure.PERMANENT, "cannot build the e-mail: " + e.getClass().getSimpleName());
        }
        try {
            Transport.send(message);
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException(Failure.PERMANENT, "SMTP authentication failed");
        } catch (SMTPSendFailedException e) {
            int code = e.getReturnCode();
            throw new DeliveryException(code >= 400 && code < 500 ? Failure.RETRYABLE : Failure.PERMANENT, "SMTP " + code + " " + reply(e));
        } catch (SendFailedException e) {
            throw new DeliveryException(Failure.PERMANENT, "SMTP server rejected the recipients: " + reply(e));
        } catch (MessagingException e) {
            EgressGuard.Refused refused = refusal(e);
            if (refused != null) {
                throw DeliveryException.refused(refused);
            }
            boolean io = e.getNextException() instanceof IOException || e.getCause() instanceof IOException;
            throw new DeliveryException(Failure.RETRYABLE, (io ? "SMTP connection failed: " : "SMTP failed: ") + reply(e));
        }
    }

    /** The message for an alert; package-private for tests. */
    MimeMessage message(Alert alert) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(receiver.from(), true));
        for (String to : receiver.to()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        m.setSubject(MailText.subject(alert), "UTF-8");
        m.setHeader("X-Vigil-Alert-Id", MailText.headerValue(alert.id()));
        m.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(AlertText.render(alert), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(MailText.htmlBody(alert), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    /** The egress guard's refusal somewhere in the exception's chain, or null. */
    private static EgressGuard.Refused refusal(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (t instanceof EgressGuard.Refused r) {
                return r;
            }
            t = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        }
        return null;
    }

    /** The server's reply or the error's kind, one line, without the password (which never reaches an error). */
    private static String reply(MessagingException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : AlertText.oneLine(m);
    }
}
